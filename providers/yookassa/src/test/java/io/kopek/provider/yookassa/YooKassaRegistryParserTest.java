package io.kopek.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.money.Money;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentState;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistryParserContract;
import io.kopek.sandbox.registry.SettlementRegistry;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** YooKassa's payments and refunds registries (CSV), as the simulator writes them after a day of real payments. */
class YooKassaRegistryParserTest extends RegistryParserContract {

    YooKassaSimulator yookassa;
    final RegistryParser parser = new YooKassaRegistryParser(new YooKassaRegistryProperties(
            "yookassa_(payments|refunds)_(?<date>\\d{4}-\\d{2}-\\d{2})\\.(csv|xlsx)", "order_number", "per-line"));

    @Override
    protected void settleADay(Clock clock) throws Exception {
        yookassa = YooKassaSimulator.start(0, "12345", "test_secret");
        yookassa.useClock(clock);
        YooKassaProvider provider = new YooKassaProvider(new YooKassaProperties(
                true,
                yookassa.baseUrl(),
                "12345",
                "test_secret",
                URI.create("https://shop.example/back"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                List.of("127.0.0.1")));
        String paid = pay(provider, 1_500_00, false, "INV-2026-00001");
        String refunded = pay(provider, 999_99, false, "INV-2026-00002");
        provider.refund(refunded, Money.rub(300_00), UUID.randomUUID().toString());
        String held = pay(provider, 500_00, true, "INV-2026-00003");
        provider.capture(held, Money.rub(300_00), UUID.randomUUID().toString());
        pay(provider, 12_34, false, "INV-2026-00004");
        assertThat(paid).isNotBlank();
    }

    static String pay(YooKassaProvider provider, long kopecks, boolean hold, String order) {
        String id = provider.create(new CreatePayment(
                        UUID.randomUUID().toString(),
                        order,
                        Money.rub(kopecks),
                        hold,
                        "Счёт " + order,
                        "https://shop.example/back",
                        Map.of()))
                .providerPaymentId();
        PaymentState expected = hold ? PaymentState.AUTHORIZED : PaymentState.SUCCEEDED;
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.status(id).state() == expected);
        return id;
    }

    @AfterAll
    void stop() {
        yookassa.close();
    }

    @Override
    protected RegistryParser parser() {
        return parser;
    }

    @Override
    protected SettlementRegistry registry() {
        return yookassa.registry().xlsx(false);
    }

    @Test
    void theCommissionIsWhatThePaymentLostOnTheWayAndRefundsComeOutOfTheSettlement() {
        List<WrittenRegistry> files = write();
        assertThat(files)
                .extracting(WrittenRegistry::fileName)
                .containsExactly("yookassa_payments_2026-03-16.csv", "yookassa_refunds_2026-03-16.csv");

        List<RegistryLine> lines = lines(files);

        assertThat(lines)
                .filteredOn(l -> l.orderNumber().equals("INV-2026-00001"))
                .singleElement()
                .satisfies(l -> {
                    assertThat(l.operation()).isEqualTo(RegistryOperation.PAYMENT);
                    assertThat(l.amount()).isEqualTo(Money.rub(1_500_00));
                    assertThat(l.commission()).isEqualTo(Money.rub(42_00)); // 2.8 %
                    assertThat(l.settlement()).isEqualTo(Money.rub(1_458_00));
                });
        assertThat(lines)
                .filteredOn(l -> l.operation() == RegistryOperation.REFUND)
                .singleElement()
                .satisfies(l -> {
                    assertThat(l.orderNumber()).isEqualTo("INV-2026-00002");
                    assertThat(l.amount()).isEqualTo(Money.rub(300_00));
                    assertThat(l.settlement()).isEqualTo(Money.rub(-300_00));
                });
    }

    @Test
    void theParserIsABeanWhenYooKassaIsEnabled() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(YooKassaConfiguration.class))
                .withPropertyValues(
                        "kopek.providers.yookassa.enabled=true",
                        "kopek.providers.yookassa.shop-id=1",
                        "kopek.providers.yookassa.secret-key=s")
                .run(context -> assertThat(
                                context.getBean(RegistryParser.class).accepts("yookassa_refunds_2026-03-16.csv"))
                        .isTrue());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(YooKassaConfiguration.class))
                .run(context ->
                        assertThat(context.getBeansOfType(RegistryParser.class)).isEmpty());
    }
}
