package io.kopek.provider.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kopek.money.Money;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentProviderContract;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** A processor configured from YAML alone (acme-processing.yml), against the Acme processing simulator. */
class GenericProcessorTest extends PaymentProviderContract {

    static final String YAML = "io/kopek/sandbox/acme/acme-processing.yml";

    AcmeProcessingSimulator acme;
    PaymentProvider provider;
    HttpServer receiver;

    record Received(Map<String, String> headers, byte[] body) {}

    final List<Received> callbacks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        acme = AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret");
        provider = fromYaml(Map.of());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> headers = new HashMap<>();
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

    /** The processor exactly as the YAML describes it, pointed at the simulator. */
    PaymentProvider fromYaml(Map<String, Object> overrides) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> local = new HashMap<>(overrides);
        local.put("kopek.generic-processors.acme.base-url", acme.baseUrl().toString());
        environment.getPropertySources().addFirst(new MapPropertySource("test", local));
        new YamlPropertySourceLoader()
                .load("acme", new ClassPathResource(YAML))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return new GenericProcessor(
                "acme",
                Binder.get(environment)
                        .bindOrCreate("kopek.generic-processors.acme", GenericProcessorProperties.class));
    }

    @Override
    protected PaymentProvider provider() {
        return provider;
    }

    @Override
    protected PaymentProvider providerWithRequestTimeout(Duration timeout) {
        try {
            return fromYaml(Map.of("kopek.generic-processors.acme.request-timeout", timeout.toMillis() + "ms"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Script script() {
        return acme.script();
    }

    @Override
    protected int paymentsCreated() {
        return acme.paymentsCreated();
    }

    @Test
    void theYamlAloneRegistersTheProcessorAsAProviderBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GenericProcessorConfiguration.class))
                .withInitializer(context -> {
                    try {
                        new YamlPropertySourceLoader()
                                .load("acme", new ClassPathResource(YAML))
                                .forEach(source -> context.getEnvironment()
                                        .getPropertySources()
                                        .addLast(source));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .withPropertyValues("kopek.generic-processors.acme.base-url=" + acme.baseUrl())
                .run(context -> {
                    PaymentProvider bean = context.getBean("genericProcessor.acme", PaymentProvider.class);
                    assertThat(bean.id()).isEqualTo("acme");
                    String id = bean.create(payment(10_00, false)).providerPaymentId();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> bean.status(id).state() == PaymentState.SUCCEEDED);
                });
    }

    @Test
    void refusalsCarryTheProcessorsErrorCode() {
        assertThatThrownBy(() -> provider.capture("acme_missing", Money.rub(1), "k"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED);
                    assertThat(e.code()).isEqualTo("not_found");
                });
    }

    @Test
    void signedCallbacksAreVerifiedAndForgedOnesRejected() {
        String id = provider.create(payment(100_00, true)).providerPaymentId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !callbacks.isEmpty());
        Received received = callbacks.getFirst();

        ProviderEvent event = provider.verify(new Callback("127.0.0.1", received.headers(), Map.of(), received.body()));
        byte[] forgedBody = new String(received.body(), StandardCharsets.UTF_8)
                .replace("payment.auth", "payment.paid")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(event.type()).isEqualTo("payment.auth");
        assertThat(event.payment().providerPaymentId()).isEqualTo(id);
        assertThat(event.payment().state()).isEqualTo(PaymentState.AUTHORIZED);
        assertThatThrownBy(() -> provider.verify(new Callback("127.0.0.1", received.headers(), Map.of(), forgedBody)))
                .isInstanceOf(CallbackRejectedException.class)
                .hasMessageContaining("signature does not match");
        assertThatThrownBy(() -> provider.verify(new Callback("127.0.0.1", Map.of(), Map.of(), received.body())))
                .isInstanceOf(CallbackRejectedException.class);
    }
}
