package io.kopek.provider.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kopek.money.Money;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.provider.ProviderPayment;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

/** A processor configured from YAML alone, against the Acme processing simulator over real HTTP. */
class GenericProcessorTest {

    AcmeProcessingSimulator acme;
    HttpServer receiver;

    record Received(Map<String, String> headers, byte[] body) {}

    final List<Received> callbacks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        acme = AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret");
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            callbacks.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        acme.callbacksTo(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/callbacks/acme"));
    }

    @AfterEach
    void stop() {
        acme.close();
        receiver.stop(0);
    }

    /** The processor as the application gets it: from the YAML file, through the auto-configuration. */
    void withAcme(Consumer<PaymentProvider> test, String... overrides) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GenericProcessorConfiguration.class))
                .withInitializer(context -> {
                    try {
                        new YamlPropertySourceLoader()
                                .load("acme", new ClassPathResource("acme-processing.yml"))
                                .forEach(source -> context.getEnvironment()
                                        .getPropertySources()
                                        .addLast(source));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .withPropertyValues("kopek.generic-processors.acme.base-url=" + acme.baseUrl())
                .withPropertyValues(overrides)
                .run(context -> {
                    assertThat(context).hasBean("genericProcessor.acme");
                    PaymentProvider provider = context.getBean("genericProcessor.acme", PaymentProvider.class);
                    assertThat(provider.id()).isEqualTo("acme");
                    test.accept(provider);
                });
    }

    CreatePayment payment(long kopecks, boolean hold) {
        return new CreatePayment(
                UUID.randomUUID().toString(),
                "INV-" + UUID.randomUUID().toString().substring(0, 8),
                Money.rub(kopecks),
                hold,
                "Invoice",
                "https://shop.example/back",
                Map.of("invoice_id", "42"));
    }

    static ProviderPayment awaitState(PaymentProvider provider, String id, PaymentState state) {
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.status(id).state() == state);
        return provider.status(id);
    }

    @Test
    void aOneStagePaymentIsPaidAfterThePayer() {
        withAcme(acmeProvider -> {
            ProviderPayment created = acmeProvider.create(payment(1_000_00, false));

            assertThat(created.state()).isEqualTo(PaymentState.PENDING);
            assertThat(created.confirmationUrl()).contains(created.providerPaymentId());
            assertThat(awaitState(acmeProvider, created.providerPaymentId(), PaymentState.SUCCEEDED)
                            .captured())
                    .isEqualTo(Money.rub(1_000_00));
        });
    }

    @Test
    void aHoldIsCapturedInPartOrVoided() {
        withAcme(acmeProvider -> {
            String captured = acmeProvider.create(payment(500_00, true)).providerPaymentId();
            String voided = acmeProvider.create(payment(200_00, true)).providerPaymentId();
            awaitState(acmeProvider, captured, PaymentState.AUTHORIZED);
            awaitState(acmeProvider, voided, PaymentState.AUTHORIZED);

            ProviderPayment paid = acmeProvider.capture(
                    captured, Money.rub(300_00), UUID.randomUUID().toString());
            ProviderPayment cancelled =
                    acmeProvider.cancel(voided, UUID.randomUUID().toString());

            assertThat(paid.state()).isEqualTo(PaymentState.SUCCEEDED);
            assertThat(paid.captured()).isEqualTo(Money.rub(300_00));
            assertThat(cancelled.state()).isEqualTo(PaymentState.CANCELED);
        });
    }

    @Test
    void refundsEndInRefunded() {
        withAcme(acmeProvider -> {
            String id = acmeProvider.create(payment(100_00, false)).providerPaymentId();
            awaitState(acmeProvider, id, PaymentState.SUCCEEDED);

            acmeProvider.refund(id, Money.rub(40_00), UUID.randomUUID().toString());
            ProviderPayment partly = acmeProvider.status(id);
            acmeProvider.refund(id, Money.rub(60_00), UUID.randomUUID().toString());

            assertThat(partly.refunded()).isEqualTo(Money.rub(40_00));
            assertThat(acmeProvider.status(id).state()).isEqualTo(PaymentState.REFUNDED);
        });
    }

    @Test
    void aTimedOutCreateIsRepeatedWithItsKeyAndCreatesOnePayment() {
        withAcme(
                acmeProvider -> {
                    acme.script().actThenHangNext(1, Duration.ofSeconds(2));
                    CreatePayment request = payment(700_00, false);

                    assertThatThrownBy(() -> acmeProvider.create(request))
                            .isInstanceOfSatisfying(
                                    ProviderException.class,
                                    e -> assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.UNKNOWN));
                    acmeProvider.create(request);

                    assertThat(acme.paymentsCreated()).isEqualTo(1);
                },
                "kopek.generic-processors.acme.request-timeout=500ms");
    }

    @Test
    void outagesAreUnknownRefusalsCarryTheProcessorsCodeAndDeclinesTheirReason() {
        withAcme(acmeProvider -> {
            acme.script().failNext(1).declineNext(1, "do_not_honor");

            assertThatThrownBy(() -> acmeProvider.create(payment(100, false)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.UNKNOWN));
            assertThatThrownBy(() -> acmeProvider.capture("acme_missing", Money.rub(1), "k"))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED);
                        assertThat(e.code()).isEqualTo("not_found");
                    });
            String declined = acmeProvider.create(payment(100_00, false)).providerPaymentId();
            assertThat(awaitState(acmeProvider, declined, PaymentState.CANCELED).failureReason())
                    .isEqualTo("do_not_honor");
        });
    }

    @Test
    void signedCallbacksAreVerifiedAndForgedOnesRejected() {
        withAcme(acmeProvider -> {
            String id = acmeProvider.create(payment(100_00, true)).providerPaymentId();
            await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
            Received received = callbacks.getFirst();

            ProviderEvent event =
                    acmeProvider.verify(new Callback("127.0.0.1", received.headers(), Map.of(), received.body()));
            byte[] forgedBody = new String(received.body(), StandardCharsets.UTF_8)
                    .replace("payment.auth", "payment.paid")
                    .getBytes(StandardCharsets.UTF_8);

            assertThat(event.type()).isEqualTo("payment.auth");
            assertThat(event.payment().providerPaymentId()).isEqualTo(id);
            assertThat(event.payment().state()).isEqualTo(PaymentState.AUTHORIZED);
            assertThatThrownBy(() ->
                            acmeProvider.verify(new Callback("127.0.0.1", received.headers(), Map.of(), forgedBody)))
                    .isInstanceOf(CallbackRejectedException.class)
                    .hasMessageContaining("signature does not match");
            assertThatThrownBy(
                            () -> acmeProvider.verify(new Callback("127.0.0.1", Map.of(), Map.of(), received.body())))
                    .isInstanceOf(CallbackRejectedException.class);
        });
    }
}
