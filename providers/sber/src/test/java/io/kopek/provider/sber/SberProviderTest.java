package io.kopek.provider.sber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kopek.money.Money;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentProviderContract;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.provider.ProviderPayment;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.sber.SberChecksum;
import io.kopek.sandbox.sber.SberSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Sber provider against the Sber acquiring simulator over real HTTP, callbacks included. */
class SberProviderTest extends PaymentProviderContract {

    static final String KEY = "sber-callback-key";
    SberSimulator sber;
    SberProvider provider;
    HttpServer receiver;
    final List<Map<String, String>> callbacks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sber = SberSimulator.start(0, "shop-api", "shop-password", KEY);
        provider = provider("shop-password", Duration.ofSeconds(2));
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            callbacks.add(query(exchange.getRequestURI().getRawQuery()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        sber.callbacksTo(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/callbacks/sber"));
    }

    @AfterEach
    void stop() {
        sber.close();
        receiver.stop(0);
    }

    @Override
    protected PaymentProvider provider() {
        return provider;
    }

    @Override
    protected PaymentProvider providerWithRequestTimeout(Duration timeout) {
        return provider("shop-password", timeout);
    }

    @Override
    protected Script script() {
        return sber.script();
    }

    @Override
    protected int paymentsCreated() {
        return sber.ordersRegistered();
    }

    @Test
    void theOrderNumberIsTheIdempotencyKeyAndTheCardIsOnlyMasked() {
        var request = payment(700_00, false);

        String first = provider.create(request).providerPaymentId();
        String again = provider.create(request).providerPaymentId();

        assertThat(again).isEqualTo(first);
        assertThat(sber.ordersRegistered()).isEqualTo(1);
        assertThat(awaitState(first, PaymentState.SUCCEEDED).cardMask()).isEqualTo("427600**1234");
    }

    @Test
    void anOrderNumberRegisteredBeforeForAnotherAmountIsNotAdopted() {
        var ours = payment(700_00, false);
        // Another installation (or a restored copy of this one's database) registered the same number first.
        provider.create(new CreatePayment(
                UUID.randomUUID().toString(),
                ours.orderNumber(),
                Money.rub(12_00),
                false,
                "Someone else's",
                "https://shop.example/back",
                Map.of()));

        assertThatThrownBy(() -> provider.create(ours)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.code()).isEqualTo("sber_order_not_ours");
            assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED);
        });
    }

    SberProvider provider(String password, Duration timeout) {
        return new SberProvider(new SberProperties(
                true,
                sber.baseUrl(),
                "shop-api",
                password,
                KEY,
                null,
                URI.create("https://shop.example/back"),
                Duration.ofSeconds(2),
                timeout));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Test
    void aPreAuthorisedOrderIsDepositedInPartAndARepeatedDepositIsRecognised() {
        String id = provider.create(payment(500_00, true)).providerPaymentId();
        awaitState(id, PaymentState.AUTHORIZED);

        ProviderPayment captured = provider.capture(id, Money.rub(300_00), "k1");
        ProviderPayment repeated = provider.capture(id, Money.rub(300_00), "k1");

        assertThat(captured.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(captured.captured()).isEqualTo(Money.rub(300_00));
        assertThat(repeated.captured()).isEqualTo(Money.rub(300_00));
        assertThatThrownBy(() -> provider.capture(id, Money.rub(200_00), "k2"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("sber_7"));
    }

    @Test
    void aHoldIsReversedOnceEvenWhenAskedTwice() {
        String id = provider.create(payment(500_00, true)).providerPaymentId();
        awaitState(id, PaymentState.AUTHORIZED);

        ProviderPayment reversed = provider.cancel(id, "c1");
        ProviderPayment again = provider.cancel(id, "c1");

        assertThat(reversed.state()).isEqualTo(PaymentState.CANCELED);
        assertThat(reversed.failureReason()).isEqualTo("reversed");
        assertThat(again.state()).isEqualTo(PaymentState.CANCELED);
    }

    @Test
    void badCredentialsAreRefused() {
        assertThatThrownBy(() -> provider("wrong", Duration.ofSeconds(2)).create(payment(100, false)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED);
                    assertThat(e.code()).isEqualTo("sber_5");
                });
    }

    @Test
    void aSignedCallbackIsVerifiedAndConfirmedByTheOrderStatus() {
        String id = provider.create(payment(100_00, true)).providerPaymentId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
        Map<String, String> received = callbacks.getFirst();

        ProviderEvent event = provider.verify(new Callback("127.0.0.1", Map.of(), received, new byte[0]));

        assertThat(received)
                .containsEntry("mdOrder", id)
                .containsEntry("operation", "approved")
                .containsKey("checksum");
        assertThat(event.type()).isEqualTo("approved");
        assertThat(event.eventKey()).isEqualTo(id + ":approved:1");
        assertThat(event.payment().state()).isEqualTo(PaymentState.AUTHORIZED);
    }

    @Test
    void aForgedOrUnsignedCallbackIsRejected() {
        String id = provider.create(payment(100_00, true)).providerPaymentId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
        Map<String, String> forged = new HashMap<>(callbacks.getFirst());
        forged.put("operation", "deposited");
        Map<String, String> unsigned = new HashMap<>(callbacks.getFirst());
        unsigned.remove("checksum");

        assertThatThrownBy(() -> provider.verify(new Callback("127.0.0.1", Map.of(), forged, new byte[0])))
                .isInstanceOf(CallbackRejectedException.class)
                .hasMessageContaining("checksum does not match");
        assertThatThrownBy(() -> provider.verify(new Callback("127.0.0.1", Map.of(), unsigned, new byte[0])))
                .isInstanceOf(CallbackRejectedException.class)
                .hasMessageContaining("no checksum");
        assertThat(provider.status(id).state()).isEqualTo(PaymentState.AUTHORIZED);
    }

    @Test
    void anAsymmetricChecksumIsVerifiedWithTheBanksPublicKey() throws Exception {
        KeyPair bank = rsaKeyPair();
        SberProvider asymmetric = withPublicKey(pem(bank.getPublic()));
        sber.signCallbacksWith(bank.getPrivate());
        String id = asymmetric.create(payment(100_00, true)).providerPaymentId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
        Map<String, String> received = callbacks.getFirst();

        ProviderEvent event = asymmetric.verify(new Callback("127.0.0.1", Map.of(), received, new byte[0]));

        assertThat(received.get("checksum")).hasSizeGreaterThan(64); // an RSA-2048 signature, not an HMAC
        assertThat(event.eventKey()).isEqualTo(id + ":approved:1");
        assertThat(event.payment().state()).isEqualTo(PaymentState.AUTHORIZED);
    }

    @Test
    void anAsymmetricChecksumThatIsForgedOrByAnotherKeyIsRejected() throws Exception {
        KeyPair bank = rsaKeyPair();
        KeyPair impostor = rsaKeyPair();
        SberProvider asymmetric = withPublicKey(pem(bank.getPublic()));
        sber.signCallbacksWith(bank.getPrivate());
        asymmetric.create(payment(100_00, true));
        await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
        Map<String, String> altered = new HashMap<>(callbacks.getFirst());
        altered.put("operation", "deposited");
        Map<String, String> byAnotherKey = new HashMap<>(callbacks.getFirst());
        byAnotherKey.put("checksum", SberChecksum.signed(byAnotherKey, impostor.getPrivate()));
        Map<String, String> symmetricOnly = new HashMap<>(callbacks.getFirst());
        symmetricOnly.put("checksum", SberChecksum.of(symmetricOnly, KEY)); // no shared key is configured

        for (Map<String, String> forged : List.of(altered, byAnotherKey, symmetricOnly)) {
            assertThatThrownBy(() -> asymmetric.verify(new Callback("127.0.0.1", Map.of(), forged, new byte[0])))
                    .isInstanceOf(CallbackRejectedException.class)
                    .hasMessageContaining("checksum does not match");
        }
    }

    /** The provider with the bank's public key for callbacks and no shared key. */
    SberProvider withPublicKey(String pem) {
        return new SberProvider(new SberProperties(
                true,
                sber.baseUrl(),
                "shop-api",
                "shop-password",
                null,
                pem,
                URI.create("https://shop.example/back"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2)));
    }

    static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void theChecksumIsTheDocumentedOne() {
        // Same independent vector as the simulator's test (computed with Python's hmac).
        Map<String, String> params = Map.of(
                "mdOrder", "b9054b5c-ad2a-4c5a-9e4d-1b6fbd4f4a01",
                "orderNumber", "DEMO-2026-000042",
                "operation", "deposited",
                "status", "1",
                "amount", "150000");

        assertThat(SberProvider.checksum(params, KEY))
                .isEqualTo("06EDCBEBE8D998276DDA3D44FDC05D849C51D78FA00168F7EB5DFE451D9A704F");
    }
}
