package io.kopek.provider.yookassa;

import io.kopek.exchange.JsonExchange;
import io.kopek.money.Money;
import io.kopek.pan.Pans;
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
import java.time.Instant;
import java.util.Base64;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YooKassa API v3. Every POST carries our idempotency key as {@code Idempotence-Key}, so a POST repeated after a
 * timeout is answered with the first result instead of acting twice. Notifications are unsigned: one is accepted
 * only from YooKassa's networks, and only what a fresh {@code GET} of the payment says is believed.
 */
public class YooKassaProvider implements PaymentProvider {

    static final String ID = "yookassa";
    private static final Set<String> EVENTS =
            Set.of("payment.waiting_for_capture", "payment.succeeded", "payment.canceled", "refund.succeeded");

    private final YooKassaProperties properties;
    private final JsonExchange<ProviderException> http;
    private final JsonMapper json = new JsonMapper();
    private final IpAllowList notificationAddresses;
    private final String authorization;

    public YooKassaProvider(YooKassaProperties properties) {
        this.properties = properties;
        Objects.requireNonNull(properties.shopId(), "kopek.providers.yookassa.shop-id is required");
        Objects.requireNonNull(properties.secretKey(), "kopek.providers.yookassa.secret-key is required");
        this.http = JsonExchange.with(
                "YooKassa", properties.connectTimeout(), properties.requestTimeout(), ProviderException.failuresOf(ID));
        this.notificationAddresses = new IpAllowList(properties.notificationAddresses());
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (properties.shopId() + ":" + properties.secretKey()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderPayment create(CreatePayment request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", amount(request.amount()));
        body.put("capture", !request.hold());
        body.put(
                "confirmation",
                Map.of(
                        "type",
                        "redirect",
                        "return_url",
                        request.returnUrl() == null ? properties.returnUrl().toString() : request.returnUrl()));
        body.put(
                "description",
                truncate(request.description() == null ? request.orderNumber() : request.description(), 128));
        Map<String, String> metadata = new LinkedHashMap<>(request.metadata());
        metadata.put("order_number", request.orderNumber());
        body.put("metadata", metadata);
        return payment(post("payments", body, request.idempotencyKey()));
    }

    @Override
    public ProviderPayment capture(String providerPaymentId, Money amount, String idempotencyKey) {
        return payment(post(
                "payments/" + id(providerPaymentId) + "/capture", Map.of("amount", amount(amount)), idempotencyKey));
    }

    @Override
    public ProviderPayment cancel(String providerPaymentId, String idempotencyKey) {
        return payment(post("payments/" + id(providerPaymentId) + "/cancel", Map.of(), idempotencyKey));
    }

    @Override
    public ProviderRefund refund(String providerPaymentId, Money amount, String idempotencyKey) {
        JsonNode refund =
                post("refunds", Map.of("payment_id", providerPaymentId, "amount", amount(amount)), idempotencyKey);
        return refundOf(refund);
    }

    @Override
    public Optional<ProviderRefund> refundStatus(String providerRefundId) {
        if (!PaymentIds.isUuid(providerRefundId)) {
            throw ProviderException.refused(ID, "invalid_refund_id", "a YooKassa refund id is a UUID; nothing sent");
        }
        String path = "refunds/" + providerRefundId;
        return Optional.of(refundOf(send(
                "GET " + path,
                HttpRequest.newBuilder(properties.baseUrl().resolve(path)).GET())));
    }

    /** YooKassa refunds are pending, succeeded or canceled (with cancellation_details: who and why). */
    private static ProviderRefund refundOf(JsonNode refund) {
        ProviderRefund.State state = switch (refund.path("status").asString("")) {
            case "succeeded" -> ProviderRefund.State.SUCCEEDED;
            case "canceled" -> ProviderRefund.State.CANCELED;
            default -> ProviderRefund.State.PENDING;
        };
        JsonNode why = refund.path("cancellation_details");
        return new ProviderRefund(
                refund.path("id").asString(),
                refund.path("payment_id").asString(),
                money(refund.path("amount")),
                state,
                state == ProviderRefund.State.CANCELED
                        ? Pans.mask("canceled by " + why.path("party").asString("yookassa") + ": "
                                + why.path("reason").asString("unknown"))
                        : null);
    }

    @Override
    public ProviderPayment status(String providerPaymentId) {
        String path = "payments/" + id(providerPaymentId);
        return payment(send(
                "GET " + path,
                HttpRequest.newBuilder(properties.baseUrl().resolve(path)).GET()));
    }

    /** A payment id goes into a URL only in YooKassa's own shape, a UUID. */
    private static String id(String providerPaymentId) {
        if (!PaymentIds.isUuid(providerPaymentId)) {
            throw ProviderException.refused(ID, "invalid_payment_id", "a YooKassa payment id is a UUID; nothing sent");
        }
        return providerPaymentId;
    }

    /** YooKassa signs nothing: only its published networks (or, in a sandbox, what is configured) may call. */
    @Override
    public boolean acceptsCallbacksFrom(String remoteAddress) {
        return notificationAddresses.allows(remoteAddress);
    }

    @Override
    public ProviderEvent verify(Callback callback) {
        if (!acceptsCallbacksFrom(callback.remoteAddress())) {
            throw new CallbackRejectedException(
                    ID,
                    CallbackRejectedException.Reason.SENDER_NOT_ALLOWED,
                    "sender " + callback.remoteAddress() + " is not on the allow-list");
        }
        JsonNode notification;
        try {
            notification = json.readTree(callback.body());
        } catch (JacksonException e) {
            throw new CallbackRejectedException(ID, "body is not JSON");
        }
        String event = notification.path("event").asString("");
        if (!notification.path("type").asString("").equals("notification") || !EVENTS.contains(event)) {
            throw new CallbackRejectedException(ID, "not a notification Kopek handles: " + event);
        }
        JsonNode object = notification.path("object");
        String paymentId = event.startsWith("refund.")
                ? object.path("payment_id").asString("")
                : object.path("id").asString("");
        if (paymentId.isBlank()) {
            throw new CallbackRejectedException(ID, "the notification names no payment");
        }
        if (!PaymentIds.isUuid(paymentId)) {
            throw new CallbackRejectedException(
                    ID, CallbackRejectedException.Reason.MALFORMED, "the payment id is not a UUID, as YooKassa's are");
        }
        ProviderPayment current;
        try {
            current = status(paymentId);
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.REFUSED) {
                throw new CallbackRejectedException(ID, "YooKassa does not know payment " + paymentId);
            }
            throw e; // unknown: answer non-200 and YooKassa will deliver it again
        }
        return new ProviderEvent(event + ":" + object.path("id").asString(), event, current);
    }

    // --- HTTP --------------------------------------------------------------------------------------------------

    private JsonNode post(String path, Map<String, ?> body, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 64) {
            throw new IllegalArgumentException("YooKassa needs an idempotency key of 1 to 64 characters");
        }
        return send(
                "POST " + path,
                HttpRequest.newBuilder(properties.baseUrl().resolve(path))
                        .header("Idempotence-Key", idempotencyKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JsonExchange.json(body))));
    }

    /**
     * 2xx is an answer. 400, 401, 403 and 404 are refusals: nothing happened. 202 (YooKassa has no result yet),
     * 429, 5xx, timeouts and broken connections leave the outcome unknown.
     */
    private JsonNode send(String what, HttpRequest.Builder request) {
        JsonExchange.Answer answer = http.send(what, request.header("Authorization", authorization));
        int status = answer.status();
        if (status == 200) {
            return answer.body();
        }
        String code = answer.text("code", "http_" + status);
        String description = answer.text("description", "")
                + (answer.body().has("parameter") ? " (" + answer.text("parameter", "") + ")" : "");
        if (status == 400 || status == 401 || status == 403 || status == 404) {
            throw ProviderException.refused(ID, code, "HTTP " + status + " " + code + ": " + description);
        }
        throw ProviderException.unknown(ID, "HTTP " + status + " " + code + ": " + description, null);
    }

    // --- mapping -----------------------------------------------------------------------------------------------

    private ProviderPayment payment(JsonNode p) {
        Money amount = money(p.path("amount"));
        Money refunded = p.has("refunded_amount") ? money(p.path("refunded_amount")) : Money.zero(amount.currency());
        String status = p.path("status").asString("");
        PaymentState state = switch (status) {
            case "pending" -> PaymentState.PENDING;
            case "waiting_for_capture" -> PaymentState.AUTHORIZED;
            case "succeeded" -> refunded.equals(amount) ? PaymentState.REFUNDED : PaymentState.SUCCEEDED;
            case "canceled" -> PaymentState.CANCELED;
            default -> throw ProviderException.unknown(ID, "unknown payment status '" + status + "'", null);
        };
        JsonNode card = p.path("payment_method").path("card");
        String mask = card.has("last4")
                ? card.path("first6").asString("") + "******"
                        + card.path("last4").asString("")
                : null;
        return new ProviderPayment(
                ID,
                p.path("id").asString(),
                state,
                amount,
                state == PaymentState.SUCCEEDED || state == PaymentState.REFUNDED
                        ? amount
                        : Money.zero(amount.currency()),
                refunded,
                p.path("confirmation").path("confirmation_url").asString(null),
                p.has("expires_at") ? Instant.parse(p.path("expires_at").asString()) : null,
                p.path("cancellation_details").path("reason").asString(null),
                mask,
                p.path("metadata").path("order_number").asString(null));
    }

    /** {@code {"value": "100.00", "currency": "RUB"}}: a decimal string, converted exactly. */
    static Map<String, String> amount(Money money) {
        return Map.of(
                "value", BigDecimal.valueOf(money.minor(), 2).toPlainString(),
                "currency", money.currency().getCurrencyCode());
    }

    static Money money(JsonNode amount) {
        BigDecimal value = new BigDecimal(amount.path("value").asString("0"));
        return new Money(
                value.movePointRight(2).longValueExact(),
                Currency.getInstance(amount.path("currency").asString("RUB")));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
