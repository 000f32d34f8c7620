package io.kopek.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the running application, as one API key. Every POST gets a fresh Idempotency-Key. */
final class ApiClient {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = new JsonMapper();

    private final int port;
    private final String key;

    ApiClient(int port, String key) {
        this.port = port;
        this.key = key;
    }

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
        return send(request(path).GET().build());
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
        return send(builder.build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
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
