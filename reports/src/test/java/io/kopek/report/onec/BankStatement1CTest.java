package io.kopek.report.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewMerchant;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.ingest.RegistryFile;
import io.kopek.ingest.RegistryImport;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.RegistrySettings;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.report.ExchangeFile;
import io.kopek.report.InvalidFilterException;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.testing.TestClockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The 1C bank statement over a provider's real days: card payments recorded through billing, the provider's
 * registries imported by the intake and reconciled, then exported, and the file read back as 1C reads it.
 */
@SpringBootTest(
        classes = ReportsTestApplication.class,
        properties = {
            "kopek.reports.onec.providers.onecpaya.merchant=ONECA",
            "kopek.reports.onec.providers.onecpaya.legal-name=ООО «Тестовый процессинг»",
            "kopek.reports.onec.providers.onecpaya.inn=7722334453",
            "kopek.reports.onec.providers.onecpaya.kpp=772201001",
            "kopek.reports.onec.providers.onecpaya.settlement-account=40702810700000000404",
            "kopek.reports.onec.providers.onecpaya.bank-name=АО «Банк процессинга»",
            "kopek.reports.onec.providers.onecpaya.bik=044525906",
            "kopek.reports.onec.providers.onecpaya.correspondent-account=30101810045250000906",
            // a provider whose refunds may exceed its payments, of its own merchant; series set
            "kopek.reports.onec.providers.onecpayc.merchant=ONECC",
            "kopek.reports.onec.providers.onecpayc.legal-name=ИП Петров Пётр Петрович",
            "kopek.reports.onec.providers.onecpayc.inn=500100732259",
            "kopek.reports.onec.providers.onecpayc.settlement-account=40702810700000000404",
            "kopek.reports.onec.providers.onecpayc.bank-name=АО «Банк процессинга»",
            "kopek.reports.onec.providers.onecpayc.bik=044525906",
            "kopek.reports.onec.providers.onecpayc.correspondent-account=30101810045250000906",
            "kopek.reports.onec.providers.onecpayc.series=17",
            // a provider whose details lack the bank's БИК
            "kopek.reports.onec.providers.onecpayb.merchant=ONECB",
            "kopek.reports.onec.providers.onecpayb.legal-name=ООО «Неполный процессинг»",
            "kopek.reports.onec.providers.onecpayb.inn=7722334453",
            "kopek.reports.onec.providers.onecpayb.kpp=772201001",
            "kopek.reports.onec.providers.onecpayb.settlement-account=40702810700000000404",
            "kopek.reports.onec.providers.onecpayb.bank-name=АО «Банк процессинга»",
            "kopek.reports.onec.providers.onecpayb.correspondent-account=30101810045250000906"
        })
@Import({TestClockConfiguration.class, BankStatement1CTest.Parsers.class})
class BankStatement1CTest {

    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    static final String PROVIDER = "onecpaya";
    static final BankDetails MERCHANT_DETAILS = new BankDetails(
            "ООО «Ромашка»",
            "770101001",
            "40702810900000054321",
            "АО «Тестовый банк»",
            "044525905",
            "30101810745250000905");

    @TestConfiguration(proxyBeanMethods = false)
    static class Parsers {
        /** The test provider's registry: {@code ;}-separated, decimal comma, Moscow time. */
        @Bean
        RegistryParser onecpaya() {
            return parser(PROVIDER);
        }

        @Bean
        RegistryParser onecpayc() {
            return parser("onecpayc");
        }

        static RegistryParser parser(String provider) {
            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("payment-id", "payment_id");
            columns.put("order-number", "order");
            columns.put("operation", "operation");
            columns.put("amount", "amount");
            columns.put("commission", "commission");
            columns.put("time", "time");
            return new ColumnMappedRegistryParser(new RegistrySettings(
                            provider + "_(?<date>\\d{8})\\.csv",
                            "yyyyMMdd",
                            "auto",
                            ";",
                            "comma",
                            "dd.MM.yyyy HH:mm:ss",
                            "Europe/Moscow",
                            "RUB",
                            columns,
                            Map.of("PAY", "payment", "REF", "refund"),
                            null,
                            null,
                            "per-line")
                    .format(provider));
        }
    }

    @Autowired
    io.kopek.report.ReportRuns runs;

    @Autowired
    List<ExchangeFile> exchangeFiles;

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Payments payments;

    @Autowired
    RegistryImport registries;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    Ledger ledger;

    @Autowired
    BusinessCalendar calendar;

    @TempDir
    Path dir;

    ExchangeFile statements;
    LocalDate today;
    LocalDate yesterday;

    @BeforeEach
    void theStatementBean() {
        statements = exchangeFiles.stream()
                .filter(f -> f.type() == ReportType.BANK_STATEMENT_1C)
                .findFirst()
                .orElseThrow();
        today = LocalDate.now(calendar.zone());
        yesterday = today.minusDays(1);
    }

    // --- fixtures ---------------------------------------------------------------------------------------------

    void merchant(String code, BankDetails details) {
        if (catalog.merchantByCode(code).isEmpty()) {
            catalog.createMerchant(new NewMerchant(code, "Shop " + code, "7701234560", details));
        }
    }

    /** Invoices of the merchant paid by card through the provider, their provider payment ids. */
    List<Payment> cardPayments(String merchant, long... kopecks) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long merchantId = catalog.merchantByCode(merchant).orElseThrow().id();
        String category = "onec-" + run;
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                280,
                0,
                "standard",
                false,
                null,
                List.of("card"),
                List.of(PROVIDER),
                0));
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Buyer", "buyer@example.ru", null, null))
                .id();
        List<Payment> paid = new ArrayList<>();
        for (long amount : kopecks) {
            long product = catalog.createProduct(new NewProduct(
                            merchantId, "SKU-" + UUID.randomUUID(), "Product", category, Money.rub(amount), "piece"))
                    .id();
            Invoice invoice = invoicing.place(
                    new PlaceOrder(customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.ONE))));
            paid.add(payments.recordCardPayment(invoice.id(), invoice.total(), PROVIDER, "pp-" + UUID.randomUUID()));
        }
        return paid;
    }

    /** A registry line as the provider writes it: amounts in roubles with a decimal comma. */
    record Line(String paymentId, String operation, long amount, long commission) {
        /** What the line adds to the provider's transfer. */
        long settled() {
            return (operation.equals("PAY") ? amount : -amount) - commission;
        }

        long signed() {
            return operation.equals("PAY") ? amount : -amount;
        }
    }

    RegistryFile registry(LocalDate day, List<Line> lines) throws IOException {
        return registry(PROVIDER, day, lines);
    }

    RegistryFile registry(String provider, LocalDate day, List<Line> lines) throws IOException {
        StringBuilder csv = new StringBuilder("payment_id;order;operation;amount;commission;time\r\n");
        String time = DateTimeFormatter.ofPattern("dd.MM.yyyy").format(day) + " 12:00:00";
        for (Line l : lines) {
            csv.append(l.paymentId())
                    .append(";;")
                    .append(l.operation())
                    .append(';')
                    .append(comma(l.amount()))
                    .append(';')
                    .append(comma(l.commission()))
                    .append(';')
                    .append(time)
                    .append("\r\n");
        }
        Path file = dir.resolve(provider + "_" + DateTimeFormatter.BASIC_ISO_DATE.format(day) + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        RegistryFile imported = registries.importFile(provider, file);
        assertThat(imported.status()).as(imported.toString()).isEqualTo("imported");
        return imported;
    }

    static String comma(long kopecks) {
        return (kopecks < 0 ? "-" : "") + Math.abs(kopecks) / 100 + ","
                + String.format("%02d", Math.abs(kopecks) % 100);
    }

    record Export(byte[] bytes, ReportSummary summary) {}

    Export export(String merchant, LocalDate from, LocalDate to) throws IOException {
        ReportFilters filters = new ReportFilters(from, to, null, merchant, null, null, null, null, null, null)
                .validFor(ReportType.BANK_STATEMENT_1C, today);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportSummary summary =
                statements.write(new ReportQuery(ReportType.BANK_STATEMENT_1C, filters, 0, LocalDateTime.now()), out);
        return new Export(out.toByteArray(), summary);
    }

    /** The file as 1C reads it: Windows-1251, CRLF lines of {@code Key=Value}, sections by their keywords. */
    record Parsed(Map<String, String> header, Map<String, String> balances, List<Map<String, String>> documents) {

        static Parsed of(byte[] bytes) {
            String text = new String(bytes, WINDOWS_1251);
            assertThat(text).endsWith("КонецФайла\r\n");
            assertThat(text.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
            List<String> lines = List.of(text.split("\r\n"));
            assertThat(lines.getFirst()).isEqualTo("1CClientBankExchange");
            Map<String, String> header = new LinkedHashMap<>();
            Map<String, String> balances = new LinkedHashMap<>();
            List<Map<String, String>> documents = new ArrayList<>();
            Map<String, String> section = header;
            for (String line : lines.subList(1, lines.size())) {
                switch (line) {
                    case "СекцияРасчСчет" -> section = balances;
                    case "КонецРасчСчет", "КонецДокумента" -> section = null;
                    case "КонецФайла" -> section = null;
                    default -> {
                        int eq = line.indexOf('=');
                        assertThat(eq).as(line).isPositive();
                        String key = line.substring(0, eq);
                        if (key.equals("СекцияДокумент")) {
                            section = new LinkedHashMap<>();
                            documents.add(section);
                        }
                        assertThat(section)
                                .as("a line outside a section: " + line)
                                .isNotNull();
                        assertThat(section.put(key, line.substring(eq + 1)))
                                .as("repeated " + key)
                                .isNull();
                    }
                }
            }
            return new Parsed(header, balances, documents);
        }

        long balance(String key) {
            return kopecks(balances.get(key));
        }

        List<Map<String, String>> incoming() {
            return documents.stream()
                    .filter(d -> d.containsKey("ДатаПоступило"))
                    .toList();
        }

        List<Map<String, String>> outgoing() {
            return documents.stream().filter(d -> d.containsKey("ДатаСписано")).toList();
        }

        Map<String, String> document(String number) {
            return documents.stream()
                    .filter(d -> d.get("Номер").equals(number))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no document " + number + " in " + documents));
        }
    }

    static long kopecks(String rubles) {
        assertThat(rubles).matches("-?[0-9]+\\.[0-9]{2}");
        return new BigDecimal(rubles).movePointRight(2).longValueExact();
    }

    static String number(LocalDate day, String kind) {
        return BankStatement1C.defaultSeries(PROVIDER) + "%03d".formatted(day.getDayOfYear()) + kind;
    }

    // --- behaviour --------------------------------------------------------------------------------------------

    @Test
    void eachProviderDayIsASettlementAndItsCommissionThatTieOutAndExportAlike() throws IOException {
        merchant("ONECA", MERCHANT_DETAILS);
        // yesterday: two payments and a refund, registered by the provider (not reconciled)
        List<Line> before = List.of(
                new Line("y-1", "PAY", 3_000_00, 84_00),
                new Line("y-2", "PAY", 1_500_50, 42_01),
                new Line("y-1", "REF", 500_00, 0));
        registry(yesterday, before);
        // today: card payments recorded by billing, registered and reconciled (their commissions posted)
        List<Payment> paid = cardPayments("ONECA", 1_000_00, 2_499_99);
        List<Line> lines = List.of(
                new Line(paid.get(0).providerPaymentId(), "PAY", 1_000_00, 28_00),
                new Line(paid.get(1).providerPaymentId(), "PAY", 2_499_99, 70_00));
        registry(today, lines);
        reconciliation.run(PROVIDER, today);
        long postedFees = ledger.balance("provider:" + PROVIDER + ":fees:RUB")
                .map(b -> b.posted().minor())
                .orElse(0L);

        Export both = export("ONECA", yesterday, today);
        Export again = export("ONECA", yesterday, today);
        Export first = export("ONECA", yesterday, yesterday);
        Export second = export("ONECA", today, today);
        Parsed file = Parsed.of(both.bytes());

        // the header and the account
        assertThat(file.header())
                .containsEntry("ВерсияФормата", "1.03")
                .containsEntry("Кодировка", "Windows")
                .containsEntry("РасчСчет", MERCHANT_DETAILS.settlementAccount())
                .containsEntry("ДатаНачала", ClientBankExchange.date(yesterday))
                .containsEntry("ДатаКонца", ClientBankExchange.date(today))
                .containsEntry("ДатаСоздания", ClientBankExchange.date(today))
                .containsKeys("Отправитель", "Получатель", "ВремяСоздания");
        assertThat(file.balances()).containsEntry("РасчСчет", MERCHANT_DETAILS.settlementAccount());
        assertThat(file.documents()).hasSize(4);
        assertThat(both.summary().rows()).isEqualTo(4);

        // each day: a settlement from the provider of its operations net of refunds, a commission to it
        for (var day : List.of(Map.entry(yesterday, before), Map.entry(today, lines))) {
            long gross = day.getValue().stream().mapToLong(Line::signed).sum();
            long commission =
                    day.getValue().stream().mapToLong(Line::commission).sum();
            var settlement = file.document(number(day.getKey(), BankStatement1C.SETTLEMENT));
            var fee = file.document(number(day.getKey(), BankStatement1C.COMMISSION));
            assertThat(kopecks(settlement.get("Сумма"))).isEqualTo(gross);
            assertThat(settlement)
                    .containsEntry("СекцияДокумент", "Платежное поручение")
                    .containsEntry("Дата", ClientBankExchange.date(day.getKey()))
                    .containsEntry("ДатаПоступило", ClientBankExchange.date(day.getKey()))
                    .containsEntry("ПлательщикИНН", "7722334453")
                    .containsEntry("ПлательщикКПП", "772201001")
                    .containsEntry("ПлательщикСчет", "40702810700000000404")
                    .containsEntry("ПлательщикРасчСчет", "40702810700000000404")
                    .containsEntry("ПлательщикБИК", "044525906")
                    .containsEntry("ПлательщикКорсчет", "30101810045250000906")
                    .containsEntry("ПлательщикБанк1", "АО «Банк процессинга»")
                    .containsEntry("Плательщик", "ООО «Тестовый процессинг»")
                    .containsEntry("Получатель", "ООО «Ромашка»")
                    .containsEntry("ПолучательИНН", "7701234560")
                    .containsEntry("ПолучательКПП", "770101001")
                    .containsEntry("ПолучательСчет", MERCHANT_DETAILS.settlementAccount())
                    .containsEntry("ПолучательРасчСчет", MERCHANT_DETAILS.settlementAccount())
                    .containsEntry("ПолучательБИК", "044525905")
                    .containsEntry("ПолучательКорсчет", "30101810745250000905")
                    .containsEntry("ПолучательБанк1", "АО «Тестовый банк»")
                    .containsEntry("ВидОплаты", "01")
                    .containsEntry("Очередность", "5")
                    .doesNotContainKey("ДатаСписано");
            assertThat(settlement.get("НазначениеПлатежа"))
                    .contains(ClientBankExchange.date(day.getKey()))
                    .contains(PROVIDER)
                    .contains("НДС");
            assertThat(kopecks(fee.get("Сумма"))).isEqualTo(commission);
            assertThat(fee)
                    .containsEntry("ДатаСписано", ClientBankExchange.date(day.getKey()))
                    .containsEntry("ПлательщикСчет", MERCHANT_DETAILS.settlementAccount())
                    .containsEntry("ПолучательИНН", "7722334453")
                    .doesNotContainKey("ДатаПоступило");
            assertThat(fee.get("НазначениеПлатежа")).contains("Комиссия").contains("НДС не облагается");
        }
        // today's commissions are those the reconciliation posted to the provider's fees
        assertThat(kopecks(
                        file.document(number(today, BankStatement1C.COMMISSION)).get("Сумма")))
                .isEqualTo(postedFees);

        // the balances tie out, to the kopeck, and turnover is what the registries settled
        long settled = List.of(before, lines).stream()
                .flatMap(List::stream)
                .mapToLong(Line::settled)
                .sum();
        long received =
                file.incoming().stream().mapToLong(d -> kopecks(d.get("Сумма"))).sum();
        long debited =
                file.outgoing().stream().mapToLong(d -> kopecks(d.get("Сумма"))).sum();
        assertThat(file.balance("ВсегоПоступило")).isEqualTo(received);
        assertThat(file.balance("ВсегоСписано")).isEqualTo(debited);
        assertThat(file.balance("НачальныйОстаток") + received - debited).isEqualTo(file.balance("КонечныйОстаток"));
        assertThat(received - debited).isEqualTo(settled);
        assertThat(both.summary().tables().getFirst().totals())
                .extracting(t -> t.column() + "=" + t.value())
                .containsExactly(
                        "received=" + received,
                        "debited=" + debited,
                        "opening=" + file.balance("НачальныйОстаток"),
                        "closing=" + file.balance("КонечныйОстаток"));

        // one statement's closing balance is the next one's opening; the days' documents are the same documents
        Parsed yesterdays = Parsed.of(first.bytes());
        Parsed todays = Parsed.of(second.bytes());
        assertThat(yesterdays.balance("КонечныйОстаток")).isEqualTo(todays.balance("НачальныйОстаток"));
        assertThat(yesterdays.balance("НачальныйОстаток")).isEqualTo(file.balance("НачальныйОстаток"));
        assertThat(todays.balance("КонечныйОстаток")).isEqualTo(file.balance("КонечныйОстаток"));
        List<Map<String, String>> separately = new ArrayList<>(yesterdays.documents());
        separately.addAll(todays.documents());
        assertThat(separately).isEqualTo(file.documents());

        // the same period again: the same bytes
        assertThat(again.bytes()).isEqualTo(both.bytes());
    }

    @Test
    void aDayWhoseRefundsExceedItsPaymentsIsPaidBackToTheProvider() throws IOException {
        merchant("ONECC", MERCHANT_DETAILS);
        // 1 000.00 paid with 25.00 commission; 3 000.00 refunded with 30.00 of commission given back
        registry(
                "onecpayc",
                today.minusDays(2),
                List.of(new Line("c-1", "PAY", 1_000_00, 25_00), new Line("c-0", "REF", 3_000_00, -30_00)));

        Parsed file = Parsed.of(export("ONECC", today.minusDays(2), today).bytes());

        String day = ClientBankExchange.date(today.minusDays(2));
        String prefix = "17%03d".formatted(today.minusDays(2).getDayOfYear());
        var settlement = file.document(prefix + BankStatement1C.SETTLEMENT);
        var commission = file.document(prefix + BankStatement1C.COMMISSION);
        assertThat(settlement)
                .containsEntry("Сумма", "2000.00")
                .containsEntry("ДатаСписано", day)
                .containsEntry("ПлательщикСчет", MERCHANT_DETAILS.settlementAccount())
                .containsEntry("Получатель", "ИП Петров Пётр Петрович")
                .containsEntry("ПолучательИНН", "500100732259")
                .containsEntry("ПолучательКПП", "")
                .doesNotContainKey("ДатаПоступило");
        assertThat(commission)
                .containsEntry("Сумма", "5.00")
                .containsEntry("ДатаПоступило", day)
                .containsEntry("ПлательщикИНН", "500100732259");
        assertThat(file.balance("ВсегоПоступило")).isEqualTo(5_00);
        assertThat(file.balance("ВсегоСписано")).isEqualTo(2_000_00);
        assertThat(file.balance("КонечныйОстаток") - file.balance("НачальныйОстаток"))
                .isEqualTo((1_000_00 - 25_00) + (-3_000_00 + 30_00));
    }

    @Test
    void aMerchantWithoutBankDetailsIsRefusedAndNothingIsWritten() {
        merchant("ONECN", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportFilters filters = new ReportFilters(yesterday, today, null, "ONECN", null, null, null, null, null, null);

        assertThatThrownBy(() -> statements.write(
                        new ReportQuery(ReportType.BANK_STATEMENT_1C, filters, 0, LocalDateTime.now()), out))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("filters.merchant"))
                .hasMessageContaining("ONECN has no bank details");
        assertThat(out.size()).isZero();
        // and when the run is asked for, before anything is kept
        assertThatThrownBy(() -> runs.request(
                        io.kopek.report.NewReportRun.of(ReportType.BANK_STATEMENT_1C, ReportFormat.ONEC, filters),
                        "test accountant"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("filters.merchant"));
    }

    @Test
    void aProviderWithoutItsBankDetailsIsRefusedNamingTheMissingKeyAndNothingIsWritten() {
        merchant("ONECB", MERCHANT_DETAILS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportFilters filters = new ReportFilters(yesterday, today, null, "ONECB", null, null, null, null, null, null);

        assertThatThrownBy(() -> statements.write(
                        new ReportQuery(ReportType.BANK_STATEMENT_1C, filters, 0, LocalDateTime.now()), out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kopek.reports.onec.providers.onecpayb.bik");
        assertThat(out.size()).isZero();
        assertThatThrownBy(() -> runs.request(
                        io.kopek.report.NewReportRun.of(ReportType.BANK_STATEMENT_1C, ReportFormat.ONEC, filters),
                        "test accountant"))
                .isInstanceOfSatisfying(
                        io.kopek.errors.KopekException.class,
                        e -> assertThat(e.type()).isEqualTo("report-not-configured"))
                .hasMessageContaining("kopek.reports.onec.providers.onecpayb.bik");
    }

    @Test
    void anUnknownMerchantIsAFilterError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportFilters filters = new ReportFilters(today, today, null, "NOSUCH", null, null, null, null, null, null);

        assertThatThrownBy(() -> statements.write(
                        new ReportQuery(ReportType.BANK_STATEMENT_1C, filters, 0, LocalDateTime.now()), out))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("filters.merchant"));
        assertThat(out.size()).isZero();
    }
}
