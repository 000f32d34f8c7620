package io.kopek.provider.sber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kopek.money.Money;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.ParsedRegistry;
import io.kopek.provider.PaymentState;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistryParserContract;
import io.kopek.provider.RegistryPolicy;
import io.kopek.provider.RegistryRejectedException;
import io.kopek.provider.RegistrySink;
import io.kopek.provider.RegistrySummary;
import io.kopek.provider.RegistryTotals;
import io.kopek.provider.RejectedLine;
import io.kopek.provider.registry.RegistrySettings;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.SettlementRegistry;
import io.kopek.sandbox.registry.Ugliness;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sber.SberRegistry;
import io.kopek.sandbox.sber.SberSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Sber's registry (configurable ;-CSV with a totals line), as the simulator writes it after a day of payments. */
class SberRegistryParserTest extends RegistryParserContract {

    SberSimulator sber;
    final RegistryParser parser = new SberRegistryParser(null);

    @Override
    protected void settleADay(Clock clock) throws Exception {
        sber = SberSimulator.start(0, "shop-api", "shop-password", "key");
        sber.useClock(clock);
        SberProvider provider = new SberProvider(new SberProperties(
                true,
                sber.baseUrl(),
                "shop-api",
                "shop-password",
                "key",
                null,
                URI.create("https://shop.example/back"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5)));
        pay(provider, 1_500_00, false, "INV-2026-00001");
        String refunded = pay(provider, 999_99, false, "INV-2026-00002");
        provider.refund(refunded, Money.rub(300_00), UUID.randomUUID().toString());
        String held = pay(provider, 500_00, true, "INV-2026-00003");
        provider.capture(held, Money.rub(300_00), UUID.randomUUID().toString());
        pay(provider, 12_34, false, "INV-2026-00004");
    }

    static String pay(SberProvider provider, long kopecks, boolean hold, String order) {
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
        sber.close();
    }

    @Override
    protected RegistryParser parser() {
        return parser;
    }

    @Override
    protected SettlementRegistry registry() {
        return sber.registry();
    }

    ParsedRegistry parseWith(RegistryParser parser, WrittenRegistry file) throws IOException {
        try (InputStream in = Files.newInputStream(file.path())) {
            return parser.parse(in, file.fileName());
        }
    }

    @Test
    void theTotalsLineIsCheckedAndKeptWithDecimalCommaAndNegativeRefunds() {
        WrittenRegistry file = write().getFirst();
        assertThat(file.fileName()).isEqualTo("SBER_REGISTRY_20260316.csv");

        ParsedRegistry parsed = parse(file);

        // 1500.00 + 999.99 - 300.00 + 300.00 + 12.34; commission 1.9 % of each payment
        assertThat(parsed.summary().declared())
                .contains(new RegistryTotals(5, Money.rub(2_512_33), Money.rub(28_50 + 19_00 + 5_70 + 23)));
        assertThat(parsed.lines())
                .filteredOn(l -> l.operation() == RegistryOperation.REFUND)
                .singleElement()
                .satisfies(refund -> {
                    assertThat(refund.amount()).isEqualTo(Money.rub(300_00));
                    assertThat(refund.settlement()).isEqualTo(Money.rub(-300_00));
                    assertThat(refund.orderNumber()).isEqualTo("INV-2026-00002");
                    assertThat(refund.cardMask()).isEqualTo("427600**1234");
                });
    }

    @Test
    void aFileInWindows1251IsQuarantinedWhenUtf8IsConfigured() {
        RegistryParser utf8Only = new SberRegistryParser(
                new RegistrySettings(null, null, "utf-8", null, null, null, null, null, null, null, null, null, null));
        WrittenRegistry file = write(Ugliness.CP1251).getFirst();

        assertThatThrownBy(() -> parseWith(utf8Only, file))
                .isInstanceOfSatisfying(
                        RegistryRejectedException.class,
                        e -> assertThat(e.reason()).startsWith("wrong encoding"));
    }

    @Test
    void allOrNothingMakesOneBadLineQuarantineTheFile() throws IOException {
        RegistryParser strict = new SberRegistryParser(new RegistrySettings(
                null, null, null, null, null, null, null, null, null, null, null, null, "all-or-nothing"));

        ParsedRegistry parsed = parseWith(strict, write(Ugliness.BAD_AMOUNT).getFirst());

        assertThat(parsed.summary().policy()).isEqualTo(RegistryPolicy.ALL_OR_NOTHING);
        assertThat(parsed.summary().importable()).isFalse();
    }

    @Test
    void theLayoutComesFromConfigurationWithDefaultsForWhatIsLeftOut() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SberConfiguration.class))
                .withPropertyValues(
                        "kopek.providers.sber.enabled=true",
                        "kopek.providers.sber.user-name=shop-api",
                        "kopek.providers.sber.password=p",
                        "kopek.providers.sber.callback-key=k",
                        "kopek.providers.sber.registry.file-pattern=reestr_(?<date>\\d{8})\\.csv",
                        "kopek.providers.sber.registry.policy=all-or-nothing")
                .run(context -> {
                    SberRegistryParser parser = context.getBean(SberRegistryParser.class);
                    assertThat(parser.accepts("reestr_20260316.csv")).isTrue();
                    assertThat(parser.accepts("SBER_REGISTRY_20260316.csv")).isFalse();
                    assertThat(parser.format().policy()).isEqualTo(RegistryPolicy.ALL_OR_NOTHING);
                    assertThat(parser.format().trailer().marker()).isEqualTo("ИТОГО");
                });
    }

    @Test
    void aLargeRegistryStreamsLineByLineThroughTheSink() throws IOException {
        int count = 100_000;
        List<Settled> day = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            day.add(new Settled(
                    "order-" + i,
                    "op-" + i,
                    "INV-" + i,
                    i % 10 == 0 ? Settled.Kind.REFUND : Settled.Kind.PAYMENT,
                    1_000 + i,
                    i % 10 == 0 ? 0 : 19,
                    OPERATIONS_AT.plusMillis(i),
                    "427600**1234",
                    "Счёт " + i));
        }
        WrittenRegistry file = SberRegistry.write(day, day(), dir, Set.of(Ugliness.CP1251, Ugliness.CRLF));
        long[] seen = new long[2];

        RegistrySummary summary;
        try (InputStream in = Files.newInputStream(file.path())) {
            summary = parser.parse(in, file.fileName(), new RegistrySink() {
                @Override
                public void line(RegistryLine line) {
                    seen[0]++;
                    seen[1] += line.settlement().minor();
                }

                @Override
                public void rejected(RejectedLine line) {
                    throw new AssertionError(line);
                }
            });
        }

        assertThat(summary.accepted()).isEqualTo(seen[0]).isEqualTo(count);
        assertThat(seen[1])
                .isEqualTo(day.stream().mapToLong(Settled::settlement).sum());
    }

    @Test
    void aPaymentWithANegativeSumIsRejectedButARefundMayBeWrittenEitherWay() throws IOException {
        List<Settled> day = List.of(
                new Settled("o-1", "o-1", "INV-1", Settled.Kind.PAYMENT, -100_00, 0, OPERATIONS_AT, null, "x"),
                new Settled("o-2", "r-2", "INV-2", Settled.Kind.REFUND, 50_00, 0, OPERATIONS_AT, null, "y"));
        WrittenRegistry file = SberRegistry.write(day, day(), dir, Set.of());

        ParsedRegistry parsed = parseWith(parser, file);

        assertThat(parsed.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.lineNumber()).isEqualTo(2);
            assertThat(rejected.reason()).isEqualTo("negative amount \"-100,00\" for a payment");
        });
        assertThat(parsed.lines())
                .singleElement()
                .satisfies(refund -> assertThat(refund.settlement()).isEqualTo(Money.rub(-50_00)));
    }
}
