package io.kopek.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP calls to the running application, as one API key (or as a signed-in user: {@link #with} a session's
 * cookie and CSRF token). Every POST gets a fresh Idempotency-Key. Each request with its answer is shown to an
 * {@link Observer}, if the test gave one.
 */
final class ApiClient {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = new JsonMapper();

    private final int port;
    private final String key;
    private final Observer observer;
    private final Map<String, String> headers;

    ApiClient(int port, String key) {
        this(port, key, exchange -> {});
    }

    ApiClient(int port, String key, Observer observer) {
        this(port, key, observer, Map.of());
    }

    private ApiClient(int port, String key, Observer observer, Map<String, String> headers) {
        this.port = port;
        this.key = key;
        this.observer = observer;
        this.headers = headers;
    }

    /** This client, sending one more header with every request (a session's cookie, its CSRF token). */
    ApiClient with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new ApiClient(port, key, observer, Map.copyOf(more));
    }

    /** Sees every request this client sends, with its answer. */
    @FunctionalInterface
    interface Observer {
        void saw(Exchange exchange);
    }

    /** A request as sent (its body, null for none) and the answer as received. */
    record Exchange(HttpRequest request, String body, HttpResponse<String> response) {}

    record Response(int status, JsonNode body, HttpResponse<String> raw) {

        String problemType() {
            return body.path("type").asString().replace(ProblemWriter.TYPE_BASE, "");
        }

        long id() {
            return body.path("id").asLong();
        }

        long amount(String field) {
            return body.path(field).path("amount").asLong();
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    Response get(String path) {
        return send(request(path).GET().build(), null);
    }

    Response post(String path, String json) {
        return post(path, json, UUID.randomUUID().toString());
    }

    Response post(String path, String json, String idempotencyKey) {
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build(), json);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        headers.forEach(builder::header);
        return builder;
    }

    private Response send(HttpRequest request, String sent) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            observer.saw(new Exchange(request, sent, response));
            boolean json =
                    response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body =
                    json && !response.body().isEmpty() ? JSON.readTree(response.body()) : JSON.createObjectNode();
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String money(long kopecks) {
        return "{\"amount\":" + kopecks + ",\"currency\":\"RUB\"}";
    }
}
