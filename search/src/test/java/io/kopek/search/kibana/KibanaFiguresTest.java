package io.kopek.search.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.fiscal.FiscalEventConsumer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.sandbox.search.SearchEngine;
import io.kopek.search.kibana.KibanaObjects.Chart;
import io.kopek.search.kibana.KibanaObjects.Column;
import io.kopek.testing.MerchantCodes;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each Lens chart of elk/kibana, run for real: its aggregation, built from the saved object's own columns, filters
 * and formula, on a real Elasticsearch holding documents of data made through billing, reconciliation and the
 * fiscal gateway, gives the figures SQL computes from the owners' published views. Both sides are limited to this
 * test's own customers and provider, so other rows of the shared database and engine never count.
 */
@SpringBootTest(
        classes = KibanaTestApplication.class,
        properties = {"kopek.search.enabled=true", "kopek.roles=api", "kopek.search.settle=0s"})
@Import(TestClockConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KibanaFiguresTest {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    static final AtolSimulator atol = atol();

    static AtolSimulator atol() {
        try {
            return AtolSimulator.start(0, "v5-online-atol-ru", "zUr0OxfI", "v5-online-atol-ru_5179");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void atolUrl(DynamicPropertyRegistry registry) {
        registry.add("kopek.fiscal.atol.base-url", () -> atol.baseUrl().toString());
        registry.add("kopek.search.uris", () -> SearchEngine.shared().uri().toString());
    }

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
    Holds holds;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    FiscalEventConsumer fiscal;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final String provider = "kib" + run;
    final String otherProvider = "kob" + run;
    final List<Long> buyers = new ArrayList<>();

    @Autowired
    io.kopek.search.SearchIndex index;

    @Autowired
    io.kopek.search.SearchIndexer indexer;

    /**
     * Two business days of a merchant of the test's own: card payments through two providers, bank transfers, a
     * top-up, refunds, unpaid and partly paid invoices, an active card hold; the first day reconciled with no
     * registry (every card payment a discrepancy); the payments' receipts made by the fiscal gateway.
     */
    @BeforeAll
    void aMerchantsTwoDays() {
        String merchantCode = "K" + MerchantCodes.lettersOf(run);
        long merchant = catalog.createMerchant(merchantCode, "Магазин Кибаны", "7700000009")
                .id();
        String category = "kib-" + run;
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU-" + run, "Товар", category, Money.rub(1_000_00), "piece"))
                .id();
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                false,
                3600 * 24,
                List.of("card", "balance", "bank_transfer"),
                List.of(provider, otherProvider),
                0));
        long ann = buyer("Анна");
        long boris = buyer("Борис");
        LocalDate today = calendar.today();
        LocalDate first = today.minusDays(2);
        LocalDate second = today.minusDays(1);

        on(first);
        Invoice a1 = invoice(ann, 2, product, first.plusDays(10));
        payments.recordCardPayment(a1.id(), a1.total(), provider, "a1-" + run);
        Invoice b1 = invoice(boris, 1, product, first.plusDays(10));
        payments.recordCardPayment(b1.id(), b1.total(), otherProvider, "b1-" + run);
        Invoice a2 = invoice(ann, 3, product, first.plusDays(5));
        payments.recordBankTransfer(a2.id(), Money.rub(1_200_50), "PP1-" + run); // partly paid
        Invoice a4 = invoice(ann, 1, product, first.plusDays(5));
        Payment transfer = payments.recordBankTransfer(a4.id(), a4.total(), "PP2-" + run);
        payments.refund(a4.id(), transfer.id(), Money.rub(200_25), "partial");
        reconciliation.run(provider, first);
        reconciliation.run(otherProvider, first);

        on(second);
        Invoice a3 = invoice(ann, 1, product, second.plusDays(3));
        Payment card = payments.recordCardPayment(a3.id(), a3.total(), provider, "a3-" + run);
        payments.recordCardRefund(a3.id(), card.id(), Money.rub(99_99), "goodwill");
        payments.topUp(boris, Money.rub(5_000_00), "TU-" + run);
        Invoice b2 = invoice(boris, 2, product, second.plusDays(7));
        holds.placeCard(
                b2.id(), b2.total(), provider, "h1-" + run, clock.instant().plus(Duration.ofHours(5)));
        invoice(boris, 4, product, second.plusDays(20));
        fiscal.poll();

        // The engine gets the data as production does: the indexer, reading the outbox.
        index.prepare();
        while (indexer.pass().events() > 0) {
            // again, to the end of the outbox
        }
        for (io.kopek.search.Kind kind : io.kopek.search.Kind.values()) {
            index.refresh(kind.alias());
        }
    }

    long buyer(String name) {
        long id = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, name, "buyer@example.ru", null, null))
                .id();
        buyers.add(id);
        return id;
    }

    Invoice invoice(long customer, int quantity, long product, LocalDate due) {
        return invoicing.place(new PlaceOrder(
                customer, null, due, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    void on(LocalDate day) {
        clock.set(day.atTime(LocalTime.NOON).atZone(MOSCOW).toInstant());
    }

    static List<Chart> charts() {
        return KibanaObjects.charts(KibanaObjects.savedObjects());
    }

    /** The same figures as each chart, by SQL over the published views: (bucket keys...) → value. */
    Map<String, String> sql(Chart chart) {
        String customers =
                "(" + String.join(",", buyers.stream().map(String::valueOf).toList()) + ")";
        String sql = switch (chart.id()) {
            case "kopek-lens-turnover-by-provider" -> """
                    select (created_at at time zone 'Europe/Moscow')::date::text as k1, provider as k2,
                           sum(amount) / 100.0 as v
                    from billing_payment where provider is not null and customer_id in %s group by 1, 2""";
            case "kopek-lens-refunds-per-day" -> """
                    select (r.created_at at time zone 'Europe/Moscow')::date::text as k1, p.method as k2,
                           sum(r.amount) / 100.0 as v
                    from billing_refund r join billing_payment p on p.payment_id = r.payment_id
                    where p.customer_id in %s group by 1, 2""";
            case "kopek-lens-discrepancies-by-class" -> """
                    select business_date::text as k1, result as k2, count(*) as v from reconciliation_discrepancy
                    where provider in ('%s', '%s') group by 1, 2""".formatted(provider, otherProvider);
            case "kopek-lens-fiscal-backlog" -> """
                    select state as k1, kind as k2, count(*) as v from fiscal_receipt where customer_id in %s
                    group by 1, 2""";
            case "kopek-lens-fiscal-failures" -> """
                    select (created_at at time zone 'Europe/Moscow')::date::text as k1, state as k2, count(*) as v
                    from fiscal_receipt where state in ('failed', 'invalid') and customer_id in %s group by 1, 2""";
            case "kopek-lens-holds-expiring" -> """
                    select to_char(expires_at at time zone 'Europe/Moscow', 'YYYY-MM-DD"T"HH24') as k1,
                           provider as k2, sum(amount) / 100.0 as v
                    from billing_hold where status = 'active' and provider is not null and customer_id in %s
                    group by 1, 2""";
            case "kopek-lens-receivables" -> """
                    select h.due_date::text as k1, h.status as k2,
                           sum(greatest(h.total - coalesce(p.paid, 0), 0)) / 100.0 as v
                    from billing_invoice_header h
                    left join (select invoice_id, sum(amount) as paid from billing_payment group by 1) p
                           on p.invoice_id = h.invoice_id
                    where h.status in ('issued', 'partially_paid', 'overdue') and h.customer_id in %s
                    group by 1, 2""";
            default -> throw new AssertionError("no SQL for the chart " + chart.id() + ": add it here");
        };
        Map<String, String> figures = new TreeMap<>();
        jdbc.sql(sql.formatted(customers))
                .query()
                .listOfRows()
                .forEach(row -> figures.put(
                        row.get("k1") + " | " + row.get("k2"),
                        new BigDecimal(row.get("v").toString())
                                .setScale(2, RoundingMode.UNNECESSARY)
                                .toPlainString()));
        return figures;
    }

    /** Which documents are this test's: its customers', or its providers' for reconciliation. */
    ObjectNode scope(Chart chart) {
        ObjectNode terms = KibanaObjects.JSON.createObjectNode();
        ArrayNode values = terms.putObject("terms")
                .putArray(chart.alias().equals("kopek-discrepancies") ? "provider" : "customer_id");
        if (chart.alias().equals("kopek-discrepancies")) {
            values.add(provider).add(otherProvider);
        } else {
            buyers.forEach(values::add);
        }
        return terms;
    }

    /** The chart as Elasticsearch runs it: its filters, its buckets nested in column order, its metric. */
    ObjectNode aggregation(Chart chart) {
        ObjectNode search = KibanaObjects.JSON.createObjectNode();
        search.put("size", 0);
        ArrayNode filter = search.putObject("query").putObject("bool").putArray("filter");
        chart.filters().forEach(f -> filter.add(f.path("query")));
        filter.add(scope(chart));
        ObjectNode aggs = search.putObject("aggs");
        for (Column column : chart.buckets()) {
            ObjectNode bucket = aggs.putObject(column.id());
            switch (column.operation()) {
                case "date_histogram" -> {
                    boolean hourly = "h".equals(column.params().path("interval").asString());
                    bucket.putObject("date_histogram")
                            .put("field", column.field())
                            .put("calendar_interval", hourly ? "1h" : "1d")
                            .put("time_zone", MOSCOW.getId())
                            .put("format", hourly ? "yyyy-MM-dd'T'HH" : "yyyy-MM-dd")
                            .put("min_doc_count", 1);
                }
                case "terms" ->
                    bucket.putObject("terms")
                            .put("field", column.field())
                            .put("size", column.params().path("size").asInt());
                default -> throw new AssertionError(chart.id() + ": bucket " + column.operation() + " not understood");
            }
            aggs = bucket.putObject("aggs");
        }
        if ("sum".equals(chart.metric().operation())) {
            aggs.putObject("metric")
                    .putObject("sum")
                    .put("field", chart.metric().field());
        } else if (!"count".equals(chart.metric().operation())) {
            throw new AssertionError(chart.id() + ": metric " + chart.metric().operation() + " not understood");
        }
        return search;
    }

    Map<String, String> figures(Chart chart, JsonNode aggregations) {
        Map<String, String> figures = new TreeMap<>();
        collect(chart, aggregations, 0, new ArrayList<>(), figures);
        return figures;
    }

    private void collect(Chart chart, JsonNode aggs, int depth, List<String> keys, Map<String, String> figures) {
        if (depth == chart.buckets().size()) {
            BigDecimal value = "sum".equals(chart.metric().operation())
                    ? aggs.path("metric").path("value").decimalValue()
                    : BigDecimal.valueOf(aggs.path("doc_count").asLong());
            figures.put(
                    String.join(" | ", keys),
                    value.divide(BigDecimal.valueOf(chart.metric().divisor()), 2, RoundingMode.UNNECESSARY)
                            .toPlainString());
            return;
        }
        for (JsonNode bucket : aggs.path(chart.buckets().get(depth).id()).path("buckets")) {
            List<String> deeper = new ArrayList<>(keys);
            deeper.add(
                    bucket.has("key_as_string")
                            ? bucket.path("key_as_string").asString()
                            : bucket.path("key").asString());
            collect(chart, bucket, depth + 1, deeper, figures);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void theChartsAggregationGivesTheFiguresOfPostgresql(Chart chart) {
        Map<String, String> expected = sql(chart);
        JsonNode answer = search(chart.alias(), aggregation(chart).toString());

        assertThat(figures(chart, answer.path("aggregations")))
                .as(chart.title())
                .isEqualTo(expected);
        if (!chart.id().equals("kopek-lens-fiscal-failures")) {
            // the test's data reaches every other chart; failed receipts need an operator that fails (FiscalTest's)
            assertThat(expected).as(chart.id() + ": the test made data for it").isNotEmpty();
        }
    }

    /** The aggregation run on the engine through the chart's alias. */
    private static JsonNode search(String alias, String body) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> response = http.send(
                    java.net.http.HttpRequest.newBuilder(
                                    SearchEngine.shared().uri().resolve("/" + alias + "/_search"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as(alias + " search: " + response.body())
                    .isEqualTo(200);
            return KibanaObjects.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
