package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.billing.Refund;
import io.kopek.customer.CustomerType;
import io.kopek.customer.NewCustomer;
import io.kopek.fiscal.FiscalAttributes;
import io.kopek.fiscal.FiscalEventConsumer;
import io.kopek.fiscal.FiscalPusher;
import io.kopek.fiscal.FiscalReceipts;
import io.kopek.fiscal.FiscalStatusPoller;
import io.kopek.fiscal.Receipt;
import io.kopek.fiscal.UnfiscalizedCheck;
import io.kopek.money.Money;
import io.kopek.report.ReportType;
import io.kopek.sandbox.atol.AtolSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The receipts report and the unfiscalized list, over receipts the fiscal gateway made from billing's events and
 * registered with an ATOL simulator on a loopback port, checked against the gateway's own receipts and daily check.
 */
@TestPropertySource(
        properties = {
            "kopek.fiscal.company.inn=5544332219",
            "kopek.fiscal.company.sno=osn",
            "kopek.fiscal.company.email=shop@example.ru",
            "kopek.fiscal.company.payment-address=https://v5.online.atol.ru",
            "kopek.fiscal.operator=atol",
            "kopek.fiscal.outbox-settle=0s",
            "kopek.fiscal.retry-initial=1s",
            "kopek.fiscal.poll-interval=0s",
            "kopek.fiscal.atol.enabled=true",
            "kopek.fiscal.atol.login=v5-online-atol-ru",
            "kopek.fiscal.atol.password=zUr0OxfI",
            "kopek.fiscal.atol.group=v5-online-atol-ru_5179",
            "kopek.fiscal.atol.connect-timeout=1s",
            "kopek.fiscal.atol.request-timeout=1s"
        })
class FiscalReportsTest extends CatalogueTest {

    static final AtolSimulator atol = start();

    static AtolSimulator start() {
        try {
            return AtolSimulator.start(0, "v5-online-atol-ru", "zUr0OxfI", "v5-online-atol-ru_5179");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void atolUrl(DynamicPropertyRegistry registry) {
        registry.add("kopek.fiscal.atol.base-url", () -> atol.baseUrl().toString());
    }

    @Autowired
    FiscalEventConsumer consumer;

    @Autowired
    FiscalPusher pusher;

    @Autowired
    FiscalStatusPoller poller;

    @Autowired
    FiscalReceipts receipts;

    @Autowired
    UnfiscalizedCheck check;

    Payment registered;
    Refund refunded;
    Payment exempt;
    Payment pending;
    Payment unreceipted;

    /**
     * A payment and its partial refund with registered receipts; a company's bank transfer, exempt; a payment whose
     * receipt is made but not yet sent; a payment the gateway has not yet seen.
     */
    @BeforeEach
    void receiptsInEveryState() {
        atol.reset();
        Invoice first = invoice(2);
        registered = payments.recordBankTransfer(first.id(), first.total(), "PP1-" + run);
        refunded = payments.refund(first.id(), registered.id(), Money.rub(300_00), "partial");
        long company = customers
                .create(new NewCustomer(CustomerType.COMPANY, "ООО Ромашка", "b2b@example.ru", null, "7707083893"))
                .id();
        Invoice business = invoiceOf(company, 1);
        exempt = payments.recordBankTransfer(business.id(), business.total(), "PP2-" + run);
        fiscalise();
        Invoice second = invoice(1);
        pending = payments.recordBankTransfer(second.id(), second.total(), "PP3-" + run);
        consumer.poll();
        Invoice third = invoice(3);
        unreceipted = payments.recordBankTransfer(third.id(), third.total(), "PP4-" + run);
    }

    void fiscalise() {
        consumer.poll();
        pusher.push();
        poller.poll();
    }

    Receipt receipt(String eventKey) {
        return receipts.byEventKey(eventKey).orElseThrow(() -> new AssertionError("no receipt " + eventKey));
    }

    static String sell(Payment p) {
        return "payment:" + p.id() + ":sell";
    }

    static String sellRefund(Refund r) {
        return "refund:" + r.id() + ":sell_refund";
    }

    String number(Long invoiceId) {
        return invoicing.get(invoiceId).number();
    }

    @Test
    void everyReceiptOfTheMerchantIsListedWithItsStateAndFiscalAttributes() {
        List<Object[]> rows = detail(ReportType.RECEIPTS, today().merchant(merchantCode));

        List<Receipt> made = List.of(
                receipt(sell(registered)),
                receipt(sellRefund(refunded)),
                receipt(sell(exempt)),
                receipt(sell(pending)));
        assertThat(column(rows, 1))
                .containsExactlyElementsOf(made.stream().map(Receipt::id).toList());
        assertThat(column(rows, 3)).containsExactly("done", "done", "exempt", "pending");
        for (int i = 0; i < rows.size(); i++) {
            Receipt r = receipts.get(made.get(i).id());
            FiscalAttributes a = r.attributes();
            assertThat(rows.get(i))
                    .containsExactly(
                            local(r.createdAt()),
                            r.id(),
                            r.kind().code(),
                            r.state().code(),
                            r.eventKey(),
                            number(r.invoiceId()),
                            merchantCode,
                            r.paymentId(),
                            r.refundId(),
                            r.document().total(),
                            "RUB",
                            a == null ? null : a.fnNumber(),
                            a == null ? null : a.fiscalDocumentNumber(),
                            a == null ? null : a.fiscalDocumentAttribute(),
                            a == null || a.registeredAt() == null ? null : local(a.registeredAt()),
                            r.exemption());
        }
        assertThat(rows.getFirst()[11])
                .as("a registered receipt's fiscal drive")
                .isNotNull();
        assertThat(rows.getFirst()[9]).isEqualTo(registered.amount().minor());
        assertThat(rows.get(1)[9]).isEqualTo(300_00L);
    }

    @Test
    void theStatusFilterIsTheReceiptsState() {
        assertThat(column(
                        detail(
                                ReportType.RECEIPTS,
                                today().merchant(merchantCode).status("done")),
                        4))
                .containsExactly(sell(registered), sellRefund(refunded));
        assertThat(column(
                        detail(
                                ReportType.RECEIPTS,
                                today().merchant(merchantCode).status("pending")),
                        4))
                .containsExactly(sell(pending));
        assertThat(detail(ReportType.RECEIPTS, today().merchant(merchantCode).status("failed")))
                .isEmpty();
        assertThat(detail(
                        ReportType.RECEIPTS,
                        new F().from(today.minusDays(2)).to(today.minusDays(1)).merchant(merchantCode)))
                .isEmpty();
    }

    @Test
    void theUnfiscalizedListIsWhatTheDailyCheckFinds() {
        List<Object[]> rows = detail(ReportType.UNFISCALIZED, today().merchant(merchantCode));

        assertThat(column(rows, 1)).containsExactly(sell(pending), sell(unreceipted));
        assertThat(rows.get(0))
                .containsExactly(
                        local(pending.createdAt()),
                        sell(pending),
                        "payment",
                        pending.id(),
                        null,
                        number(pending.invoiceId()),
                        merchantCode,
                        1_000_00L,
                        "RUB",
                        "pending");
        assertThat(rows.get(1)[9]).as("no receipt at all").isNull();
        List<UnfiscalizedCheck.Unfiscalized> found = check.run(Duration.ZERO).stream()
                .filter(u -> u.invoiceId() != null && number(u.invoiceId()).startsWith(merchantCode + "-"))
                .toList();
        assertThat(column(rows, 1))
                .containsExactlyElementsOf(found.stream()
                        .map(UnfiscalizedCheck.Unfiscalized::eventKey)
                        .toList());
        assertThat(sum(rows, 7))
                .isEqualTo(found.stream()
                        .mapToLong(UnfiscalizedCheck.Unfiscalized::amount)
                        .sum());

        fiscalise();

        assertThat(detail(ReportType.UNFISCALIZED, today().merchant(merchantCode)))
                .as("once registered, nothing is left")
                .isEmpty();
    }
}
