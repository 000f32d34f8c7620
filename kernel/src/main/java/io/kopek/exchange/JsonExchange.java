package io.kopek.exchange;

import io.kopek.pan.Pans;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests to one outside service that answers in JSON (a payment provider, the fiscal data operator), and the
 * plumbing every such call shares: HTTP/1.1, a connect and a request timeout, no redirects followed, the answer read
 * up to a bound ({@link #MAX_ANSWER_BYTES}), an empty body read as {@code {}}, and a debug log of each exchange with
 * card numbers masked. What cannot be an answer (no connection, a timeout, an interrupt, a body that is not JSON)
 * becomes the caller's own exception through its {@link Failures}: for a payment an unknown outcome, to be resolved
 * by asking again, never by acting twice. What an answer's status means is the caller's to say.
 */
public final class JsonExchange<E extends RuntimeException> {

    /** Answers longer than this are not read: no service we call sends more, and a bound is a defence. */
    public static final int MAX_ANSWER_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(JsonExchange.class);
    /** Decimal numbers in answers are read exactly: an amount never passes through a {@code double}. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** How the caller names what went wrong before there was an answer to read. */
    public interface Failures<E extends RuntimeException> {

        /** No answer: the service could not be reached, did not answer in time, or the call was interrupted. */
        E noAnswer(String detail, Exception cause);

        /** An answer that cannot be read: not JSON, or longer than {@link #MAX_ANSWER_BYTES}. */
        E unreadable(String detail, Exception cause);
    }

    /** A status and a JSON body ({@code {}} when the body was empty). */
    public record Answer(int status, JsonNode body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** A text field of the body, or {@code otherwise} when it is missing. */
        public String text(String field, String otherwise) {
            JsonNode value = body.path(field);
            return value.isValueNode() && !value.isNull() ? value.asString() : otherwise;
        }
    }

    private final String service;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Failures<E> failures;

    private JsonExchange(String service, HttpClient http, Duration requestTimeout, Failures<E> failures) {
        this.service = service;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.failures = failures;
    }

    /** Exchanges with {@code service} (named in logs and errors). */
    public static <E extends RuntimeException> JsonExchange<E> with(
            String service, Duration connectTimeout, Duration requestTimeout, Failures<E> failures) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new JsonExchange<>(service, http, requestTimeout, failures);
    }

    /** The JSON text of a request's body. */
    public static String json(Object body) {
        return JSON.writeValueAsString(body);
    }

    /** Sends the request (its timeout set here) and reads the answer; {@code what} names the call in errors. */
    public Answer send(String what, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(requestTimeout).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failures.noAnswer(service + " " + what + ": no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.noAnswer(service + " " + what + ": interrupted while waiting for an answer", e);
        }
        int status = response.statusCode();
        String text;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw failures.unreadable(
                        service + " " + what + ": HTTP " + status + " with an answer over " + MAX_ANSWER_BYTES
                                + " bytes",
                        null);
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failures.noAnswer(service + " " + what + ": the answer broke off: " + e, e);
        }
        if (log.isDebugEnabled()) {
            log.debug(
                    "{} {} {} -> HTTP {} {}",
                    service,
                    built.method(),
                    Pans.mask(built.uri().toString()),
                    status,
                    Pans.mask(text));
        }
        try {
            return new Answer(status, text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
        } catch (JacksonException e) {
            throw failures.unreadable(service + " " + what + ": HTTP " + status + " with a body that is not JSON", e);
        }
    }
}
