package io.kopek.provider.generic;

import io.kopek.exchange.JsonExchange;
import io.kopek.money.Money;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentIds;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.provider.ProviderPayment;
import io.kopek.provider.ProviderRefund;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Currency;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A processing centre described by {@link GenericProcessorProperties}: requests are built and answers read
 * through the configured JSON paths, statuses mapped through the configured table, callbacks authenticated by
 * an HMAC-SHA256 of the raw body and confirmed by reading the payment.
 */
public class GenericProcessor implements PaymentProvider {

    private final String id;
    private final GenericProcessorProperties config;
    private final JsonExchange<ProviderException> http;
    private final JsonMapper json = new JsonMapper();
    /** Their status, lower-cased (configuration keys are), to ours. */
    private final Map<String, String> statuses;

    public GenericProcessor(String id, GenericProcessorProperties config) {
        this.id = id;
        this.config = config;
        Objects.requireNonNull(config.baseUrl(), "kopek.generic-processors." + id + ".base-url is required");
        Objects.requireNonNull(config.endpoints(), "kopek.generic-processors." + id + ".endpoints is required");
        Objects.requireNonNull(config.request(), "kopek.generic-processors." + id + ".request is required");
        Objects.requireNonNull(config.response(), "kopek.generic-processors." + id + ".response is required");
        Objects.requireNonNull(config.statuses(), "kopek.generic-processors." + id + ".statuses is required");
        this.http = JsonExchange.with(
                "processor " + id, config.connectTimeout(), config.requestTimeout(), ProviderException.failuresOf(id));
        this.statuses = new java.util.HashMap<>();
        config.statuses().forEach((theirs, ours) -> statuses.put(theirs.toLowerCase(Locale.ROOT), ours));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderPayment create(CreatePayment request) {
        ObjectNode body = json.createObjectNode();
        put(body, "amount", amount(request.amount()));
        put(body, "currency", request.amount().currency().getCurrencyCode());
        put(body, "order-number", request.orderNumber());
        put(body, "hold", request.hold());
        put(body, "description", request.description());
        put(body, "return-url", request.returnUrl());
        put(body, "metadata", request.metadata());
        return payment(send(config.endpoints().create(), null, body, request.idempotencyKey()));
    }

    @Override
    public ProviderPayment capture(String providerPaymentId, Money amount, String idempotencyKey) {
        ObjectNode body = json.createObjectNode();
        put(body, "amount", amount(amount));
        return payment(send(config.endpoints().capture(), providerPaymentId, body, idempotencyKey));
    }

    @Override
    public ProviderPayment cancel(String providerPaymentId, String idempotencyKey) {
        return payment(send(config.endpoints().cancel(), providerPaymentId, json.createObjectNode(), idempotencyKey));
    }

    @Override
    public ProviderRefund refund(String providerPaymentId, Money amount, String idempotencyKey) {
        ObjectNode body = json.createObjectNode();
        put(body, "amount", amount(amount));
        send(config.endpoints().refund(), providerPaymentId, body, idempotencyKey);
        return ProviderRefund.succeeded(providerPaymentId + ":" + idempotencyKey, providerPaymentId, amount);
    }

    @Override
    public ProviderPayment status(String providerPaymentId) {
        return payment(send(config.endpoints().status(), providerPaymentId, null, null));
    }

    @Override
    public ProviderEvent verify(Callback callback) {
        GenericProcessorProperties.Callback rules = config.callback();
        if (rules == null || rules.secret() == null) {
            throw new CallbackRejectedException(id, "no callback secret is configured");
        }
        String signature = callback.headers().get(rules.signatureHeader().toLowerCase(Locale.ROOT));
        if (signature == null) {
            throw new CallbackRejectedException(id, "no " + rules.signatureHeader() + " header");
        }
        byte[] expected = hmac(callback.body(), rules.secret()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(
                expected, signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new CallbackRejectedException(id, "signature does not match");
        }
        JsonNode body;
        try {
            body = json.readTree(callback.body());
        } catch (JacksonException e) {
            throw new CallbackRejectedException(id, "body is not JSON");
        }
        String paymentId = JsonPaths.read(body, rules.paymentId()).asString("");
        if (paymentId.isBlank()) {
            throw new CallbackRejectedException(id, "no payment id at " + rules.paymentId());
        }
        if (!PaymentIds.isSafe(paymentId)) {
            throw new CallbackRejectedException(
                    id,
                    CallbackRejectedException.Reason.MALFORMED,
                    "the payment id is not 1 to 128 letters, digits, '.', '_' or '-'");
        }
        String event = JsonPaths.read(body, rules.event()).asString("");
        String eventId = JsonPaths.read(body, rules.eventId()).asString("");
        ProviderPayment current;
        try {
            current = status(paymentId);
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.REFUSED) {
                throw new CallbackRejectedException(id, "the processor does not know payment " + paymentId);
            }
            throw e; // unknown: answer non-200 and the processor will deliver it again
        }
        return new ProviderEvent(eventId.isBlank() ? event + ":" + paymentId : eventId, event, current);
    }

    /** Hex HMAC-SHA256 of the raw body. */
    static String hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- mapping -----------------------------------------------------------------------------------------------

    private void put(ObjectNode body, String field, Object value) {
        String path = config.request().get(field);
        if (path != null && value != null) {
            JsonPaths.write(body, path, value);
        }
    }

    private Object amount(Money money) {
        return config.amountFormat().equals("decimal")
                ? BigDecimal.valueOf(money.minor(), 2).toPlainString()
                : (Object) money.minor();
    }

    private ProviderPayment payment(JsonNode answer) {
        Currency currency = Currency.getInstance(field(answer, "currency", "RUB"));
        String theirs = field(answer, "status", "");
        String ours = statuses.get(theirs.toLowerCase(Locale.ROOT));
        if (ours == null) {
            throw ProviderException.unknown(
                    id, "status '" + theirs + "' is not in kopek.generic-processors." + id + ".statuses", null);
        }
        PaymentState state = PaymentState.valueOf(ours.toUpperCase(Locale.ROOT));
        return new ProviderPayment(
                id,
                field(answer, "id", ""),
                state,
                money(answer, "amount", currency),
                money(answer, "captured", currency),
                money(answer, "refunded", currency),
                field(answer, "confirmation-url", null),
                null,
                field(answer, "failure-reason", null),
                field(answer, "card-mask", null),
                field(answer, "order-number", null));
    }

    private String field(JsonNode answer, String field, String otherwise) {
        String path = config.response().get(field);
        if (path == null) {
            return otherwise;
        }
        JsonNode node = JsonPaths.read(answer, path);
        return node.isMissingNode() || node.isNull() ? otherwise : node.asString();
    }

    private Money money(JsonNode answer, String field, Currency currency) {
        String value = field(answer, field, "0");
        long minor = config.amountFormat().equals("decimal")
                ? new BigDecimal(value).movePointRight(2).longValueExact()
                : Long.parseLong(value);
        return new Money(minor, currency);
    }

    // --- HTTP --------------------------------------------------------------------------------------------------

    /** 2xx is an answer; 4xx but 408 and 429 a refusal; anything else, or no answer, an unknown outcome. */
    private JsonNode send(
            GenericProcessorProperties.Endpoint endpoint, String paymentId, ObjectNode body, String idempotencyKey) {
        if (paymentId != null && !PaymentIds.isSafe(paymentId)) {
            throw ProviderException.refused(id, "invalid_payment_id", "a payment id of an unsafe shape; nothing sent");
        }
        String path = endpoint.path().replace("{id}", paymentId == null ? "" : paymentId);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        config.baseUrl().resolve(path.startsWith("/") ? path.substring(1) : path))
                .header("Accept", "application/json");
        if (config.apiKey() != null) {
            request.header(config.apiKeyHeader(), config.apiKey());
        }
        if (idempotencyKey != null) {
            request.header(config.idempotencyHeader(), idempotencyKey);
        }
        request.method(
                endpoint.method(),
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        JsonExchange.Answer reply = http.send(endpoint.method() + " " + path, request);
        int status = reply.status();
        JsonNode answer = reply.body();
        if (status >= 200 && status < 300) {
            return answer;
        }
        String code = field(answer, "error-code", "http_" + status);
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw ProviderException.refused(id, code, endpoint.method() + " " + path + ": HTTP " + status + " " + code);
        }
        throw ProviderException.unknown(id, endpoint.method() + " " + path + ": HTTP " + status + " " + code, null);
    }
}
