package io.kopek.provider.sber;

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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sberbank acquiring (RBS REST, form-encoded). The gateway has no idempotency keys: our order number is the key
 * (unique per merchant, so registering it again is refused and the existing order is read instead), and a
 * repeated capture or cancel is recognised by reading the order's state. Order statuses 0–6 map to ours.
 * Callbacks are accepted only with a valid checksum, symmetric (HMAC-SHA256) or asymmetric (RSA-SHA512 with the
 * bank's public key), and only as far as the order's status confirms.
 */
public class SberProvider implements PaymentProvider {

    static final String ID = "sber";
    private static final int DUPLICATE_ORDER_NUMBER = 1;
    private static final int WRONG_STATE = 7;

    private final SberProperties properties;
    private final JsonExchange<ProviderException> http;
    private final JsonMapper json = new JsonMapper();
    private final PublicKey callbackPublicKey;

    public SberProvider(SberProperties properties) {
        this.properties = properties;
        Objects.requireNonNull(properties.userName(), "kopek.providers.sber.user-name is required");
        Objects.requireNonNull(properties.password(), "kopek.providers.sber.password is required");
        if (properties.callbackKey() == null && properties.callbackPublicKey() == null) {
            throw new IllegalArgumentException(
                    "kopek.providers.sber.callback-key or kopek.providers.sber.callback-public-key is required");
        }
        this.callbackPublicKey =
                properties.callbackPublicKey() == null ? null : publicKey(properties.callbackPublicKey());
        this.http = JsonExchange.with(
                "Sber", properties.connectTimeout(), properties.requestTimeout(), ProviderException.failuresOf(ID));
    }

    @Override
    public String id() {
        return ID;
    }

    /** {@code orderNumber} is Sber's idempotency key: the caller gives each payment attempt its own. */
    @Override
    public ProviderPayment create(CreatePayment request) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("orderNumber", request.orderNumber());
        params.put("amount", Long.toString(request.amount().minor()));
        params.put("currency", String.format("%03d", request.amount().currency().getNumericCode()));
        params.put(
                "returnUrl",
                request.returnUrl() == null ? properties.returnUrl().toString() : request.returnUrl());
        if (request.description() != null) {
            params.put("description", request.description());
        }
        if (!request.metadata().isEmpty()) {
            params.put("jsonParams", json.writeValueAsString(request.metadata()));
        }
        JsonNode registered;
        try {
            registered = call(request.hold() ? "registerPreAuth.do" : "register.do", params);
        } catch (ProviderException e) {
            if (e.code().equals("sber_" + DUPLICATE_ORDER_NUMBER)) {
                // Registered before, e.g. by a timed-out attempt; or by someone else sharing the merchant account
                // (a restored database reusing the number): adopted only when it is this payment.
                ProviderPayment before = statusBy("orderNumber", request.orderNumber());
                if (!before.amount().equals(request.amount())) {
                    throw ProviderException.refused(
                            ID,
                            "sber_order_not_ours",
                            "order number " + request.orderNumber() + " was registered before for " + before.amount()
                                    + ", not " + request.amount() + ": not this payment");
                }
                return before;
            }
            throw e;
        }
        ProviderPayment payment = status(registered.path("orderId").asString());
        return new ProviderPayment(
                ID,
                payment.providerPaymentId(),
                payment.state(),
                payment.amount(),
                payment.captured(),
                payment.refunded(),
                registered.path("formUrl").asString(null),
                payment.expiresAt(),
                payment.failureReason(),
                payment.cardMask(),
                payment.orderNumber());
    }

    @Override
    public ProviderPayment capture(String providerPaymentId, Money amount, String idempotencyKey) {
        try {
            call("deposit.do", Map.of("orderId", providerPaymentId, "amount", Long.toString(amount.minor())));
        } catch (ProviderException e) {
            ProviderPayment now = alreadyDone(e, providerPaymentId, PaymentState.SUCCEEDED);
            if (!now.captured().equals(amount)) {
                throw e;
            }
        }
        return status(providerPaymentId);
    }

    @Override
    public ProviderPayment cancel(String providerPaymentId, String idempotencyKey) {
        try {
            call("reverse.do", Map.of("orderId", providerPaymentId));
        } catch (ProviderException e) {
            alreadyDone(e, providerPaymentId, PaymentState.CANCELED);
        }
        return status(providerPaymentId);
    }

    /**
     * A refund cannot be recognised when repeated (two refunds of the same amount are legitimate), so after an
     * unknown outcome the caller compares {@link #status}'s refunded amount before trying again.
     */
    @Override
    public ProviderRefund refund(String providerPaymentId, Money amount, String idempotencyKey) {
        call("refund.do", Map.of("orderId", providerPaymentId, "amount", Long.toString(amount.minor())));
        return ProviderRefund.succeeded(providerPaymentId + ":" + idempotencyKey, providerPaymentId, amount);
    }

    @Override
    public ProviderPayment status(String providerPaymentId) {
        return statusBy("orderId", providerPaymentId);
    }

    @Override
    public ProviderEvent verify(Callback callback) {
        Map<String, String> params = callback.parameters();
        String checksum = params.get("checksum");
        if (checksum == null || checksum.isBlank()) {
            throw new CallbackRejectedException(ID, "no checksum");
        }
        if (!symmetricMatches(params, checksum) && !asymmetricMatches(params, checksum)) {
            throw new CallbackRejectedException(ID, "checksum does not match");
        }
        String orderId = params.getOrDefault("mdOrder", "");
        if (!PaymentIds.isUuid(orderId)) {
            throw new CallbackRejectedException(
                    ID, CallbackRejectedException.Reason.MALFORMED, "mdOrder is not an order id (a UUID)");
        }
        ProviderPayment current;
        try {
            current = status(orderId);
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.REFUSED) {
                throw new CallbackRejectedException(ID, "Sber does not know order " + orderId);
            }
            throw e; // unknown: answer non-200 and Sber will deliver it again
        }
        String operation = params.getOrDefault("operation", "");
        return new ProviderEvent(
                orderId + ":" + operation + ":" + params.getOrDefault("status", ""), operation, current);
    }

    private boolean symmetricMatches(Map<String, String> params, String checksum) {
        if (properties.callbackKey() == null) {
            return false;
        }
        byte[] expected = checksum(params, properties.callbackKey()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, checksum.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** The asymmetric checksum: an RSA signature with SHA-512 of the same text, in hex, by the bank's private key. */
    private boolean asymmetricMatches(Map<String, String> params, String checksum) {
        if (callbackPublicKey == null) {
            return false;
        }
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(checksum);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature rsa = Signature.getInstance("SHA512withRSA");
            rsa.initVerify(callbackPublicKey);
            rsa.update(checkText(params).getBytes(StandardCharsets.UTF_8));
            return rsa.verify(signature);
        } catch (SignatureException e) {
            return false; // not a signature of this key's size
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    static PublicKey publicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | InvalidKeySpecException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException(
                    "kopek.providers.sber.callback-public-key is not an RSA public key in PEM", e);
        }
    }

    /** What both checksums are computed over: every parameter but {@code checksum}, sorted by name, as {@code name;value;}. */
    static String checkText(Map<String, String> params) {
        return new TreeMap<>(params)
                .entrySet().stream()
                        .filter(e -> !e.getKey().equals("checksum"))
                        .map(e -> e.getKey() + ";" + e.getValue() + ";")
                        .collect(Collectors.joining());
    }

    /** Sber's symmetric checksum: {@link #checkText}, HMAC-SHA256, hex upper-case. */
    static String checksum(Map<String, String> params, String key) {
        String text = checkText(params);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)))
                    .toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal for the wrong state is a repeat when the order is already where we wanted it. */
    private ProviderPayment alreadyDone(ProviderException e, String orderId, PaymentState wanted) {
        if (!e.code().equals("sber_" + WRONG_STATE)) {
            throw e;
        }
        ProviderPayment now = status(orderId);
        if (now.state() != wanted) {
            throw e;
        }
        return now;
    }

    private ProviderPayment statusBy(String key, String value) {
        JsonNode s = call("getOrderStatusExtended.do", Map.of(key, value));
        int status = s.path("orderStatus").asInt(-1);
        JsonNode info = s.path("paymentAmountInfo");
        Money amount = Money.rub(s.path("amount").asLong());
        Money deposited = Money.rub(info.path("depositedAmount").asLong());
        Money refunded = Money.rub(info.path("refundedAmount").asLong());
        PaymentState state = switch (status) {
            case 0, 5 -> PaymentState.PENDING; // registered; 3-D Secure under way
            case 1 -> PaymentState.AUTHORIZED;
            case 2 -> PaymentState.SUCCEEDED;
            case 3, 6 -> PaymentState.CANCELED; // reversed; declined
            case 4 -> PaymentState.REFUNDED;
            default -> throw ProviderException.unknown(ID, "unknown order status " + status, null);
        };
        String orderId = key.equals("orderId") ? value : attribute(s, "mdOrder");
        String reason =
                status == 6 ? s.path("actionCodeDescription").asString("declined") : status == 3 ? "reversed" : null;
        String mask = s.path("cardAuthInfo").path("maskedPan").asString(null);
        return new ProviderPayment(
                ID,
                orderId,
                state,
                amount,
                deposited,
                refunded,
                null,
                null,
                reason,
                mask,
                s.path("orderNumber").asString(null));
    }

    private static String attribute(JsonNode status, String name) {
        for (JsonNode a : status.path("attributes")) {
            if (a.path("name").asString().equals(name)) {
                return a.path("value").asString();
            }
        }
        throw ProviderException.unknown(ID, "the order status carries no " + name, null);
    }

    /** HTTP 200 with errorCode 0 is an answer; another errorCode a refusal; anything else an unknown outcome. */
    private JsonNode call(String method, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("userName", properties.userName());
        all.put("password", properties.password());
        all.putAll(params);
        String form = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        JsonExchange.Answer answer = http.send(
                method,
                HttpRequest.newBuilder(properties.baseUrl().resolve(method))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (answer.status() != 200) {
            throw ProviderException.unknown(ID, method + ": HTTP " + answer.status(), null);
        }
        JsonNode body = answer.body();
        int code = body.path("errorCode").asInt(0);
        if (code != 0) {
            throw ProviderException.refused(
                    ID,
                    "sber_" + code,
                    method + ": " + code + " " + body.path("errorMessage").asString(""));
        }
        return body;
    }
}
