package io.kopek.provider.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.money.Money;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentState;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistryParserContract;
import io.kopek.provider.registry.RegistrySettings;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.registry.SettlementRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** Acme's settlement file, read by a parser configured from the registry section of acme-processing.yml alone. */
class GenericRegistryParserTest extends RegistryParserContract {

    AcmeProcessingSimulator acme;
    RegistryParser parser;

    @Override
    protected void settleADay(Clock clock) throws Exception {
        acme = AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret");
        acme.useClock(clock);
        StandardEnvironment environment = environment();
        GenericProcessorProperties properties =
                Binder.get(environment).bindOrCreate("kopek.generic-processors.acme", GenericProcessorProperties.class);
        parser = new GenericRegistryParser("acme", properties.registry());
        PaymentProvider provider = new GenericProcessor("acme", properties);
        pay(provider, 1_500_00, false, "INV-2026-00001");
        String refunded = pay(provider, 999_99, false, "INV-2026-00002");
        provider.refund(refunded, Money.rub(300_00), UUID.randomUUID().toString());
        String held = pay(provider, 500_00, true, "INV-2026-00003");
        provider.capture(held, Money.rub(300_00), UUID.randomUUID().toString());
        pay(provider, 12_34, false, "INV-2026-00004");
    }

    StandardEnvironment environment() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test",
                        Map.of(
                                "kopek.generic-processors.acme.base-url",
                                acme.baseUrl().toString())));
        new YamlPropertySourceLoader()
                .load("acme", new ClassPathResource(GenericProcessorTest.YAML))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return environment;
    }

    static String pay(PaymentProvider provider, long kopecks, boolean hold, String order) {
        String id = provider.create(new CreatePayment(
                        UUID.randomUUID().toString(),
                        order,
                        Money.rub(kopecks),
                        hold,
                        "Invoice " + order,
                        "https://shop.example/back",
                        Map.of()))
                .providerPaymentId();
        PaymentState expected = hold ? PaymentState.AUTHORIZED : PaymentState.SUCCEEDED;
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.status(id).state() == expected);
        return id;
    }

    @AfterAll
    void stop() {
        acme.close();
    }

    @Override
    protected RegistryParser parser() {
        return parser;
    }

    @Override
    protected SettlementRegistry registry() {
        return acme.registry();
    }

    @Test
    void salesCapturesAndRefundsAreToldApartByTheOperationTable() {
        List<RegistryLine> lines = lines(write());

        assertThat(lines)
                .extracting(
                        RegistryLine::orderNumber,
                        RegistryLine::operation,
                        l -> l.settlement().minor())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("INV-2026-00001", RegistryOperation.PAYMENT, 1_477_50L),
                        org.assertj.core.groups.Tuple.tuple("INV-2026-00002", RegistryOperation.PAYMENT, 984_99L),
                        org.assertj.core.groups.Tuple.tuple("INV-2026-00002", RegistryOperation.REFUND, -300_00L),
                        org.assertj.core.groups.Tuple.tuple("INV-2026-00003", RegistryOperation.CAPTURE, 295_50L),
                        org.assertj.core.groups.Tuple.tuple("INV-2026-00004", RegistryOperation.PAYMENT, 12_15L));
    }

    @Test
    void theYamlAloneRegistersTheRegistryParserAsABean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GenericProcessorConfiguration.class))
                .withInitializer(context -> {
                    try {
                        new YamlPropertySourceLoader()
                                .load("acme", new ClassPathResource(GenericProcessorTest.YAML))
                                .forEach(source -> context.getEnvironment()
                                        .getPropertySources()
                                        .addLast(source));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .run(context -> {
                    RegistryParser bean = context.getBean(RegistryParser.class);
                    assertThat(bean.provider()).isEqualTo("acme");
                    assertThat(bean.accepts("acme_settlement_2026-03-16.csv")).isTrue();
                });
    }

    @Test
    void aProcessorWithoutARegistrySectionHasNoParser() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test", Map.of("kopek.generic-processors.tiny.base-url", "http://127.0.0.1:1/")));
        GenericProcessorConfiguration.Registrar registrar = new GenericProcessorConfiguration.Registrar();
        registrar.setEnvironment(environment);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

        registrar.postProcessBeanDefinitionRegistry(beans);

        assertThat(beans.getBeanDefinitionNames()).containsExactly("genericProcessor.tiny");
    }

    @Test
    void everyRequiredSettingIsNamedWhenOneIsMissing() {
        RegistrySettings incomplete =
                new RegistrySettings(null, null, null, null, null, null, null, null, null, null, null, null, null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GenericRegistryParser("tiny", incomplete))
                .hasMessageContaining("file-pattern, columns, time-format and zone are required");
    }
}
