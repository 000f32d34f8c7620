package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.billing.Refund;
import io.kopek.customer.CustomerType;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.report.InvalidFilterException;
import io.kopek.report.ReportType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The payments and refunds registers and the holds report, against what billing's services recorded. */
class BillingRegistersTest extends CatalogueTest {

    @Autowired
    Holds holds;

    /** A card payment, a bank transfer, a top-up and a payment from the balance, one refund. */
    record Day(Payment card, Payment transfer, Payment topUp, Payment balance, Refund refund) {
        List<Payment> all() {
            return List.of(card, transfer, topUp, balance);
        }
    }

    Day aDayOfPayments() {
        Invoice byCard = invoice(1);
        Payment card = payments.recordCardPayment(byCard.id(), byCard.total(), provider, "tp-" + run);
        Invoice byTransfer = invoice(2);
        Payment transfer = payments.recordBankTransfer(byTransfer.id(), byTransfer.total(), "PP-" + run);
        Payment topUp = payments.topUp(customer, Money.rub(3_000_00), "TU-" + run);
        Invoice fromBalance = invoice(1);
        Payment balance = payments.payFromBalance(fromBalance.id(), fromBalance.total());
        Refund refund = payments.refund(byTransfer.id(), transfer.id(), Money.rub(120_00), "partial");
        return new Day(card, transfer, topUp, balance, refund);
    }

    String number(Long invoiceId) {
        return invoiceId == null ? null : invoicing.get(invoiceId).number();
    }

    @Test
    void everyPaymentOfTheDayIsListedWithItsInvoiceMethodProviderAndWhatWasRefunded() {
        Day day = aDayOfPayments();

        List<Object[]> rows = detail(ReportType.PAYMENTS, today().customer(customer));

        assertThat(column(rows, 1))
                .containsExactly(
                        day.card().id(),
                        day.transfer().id(),
                        day.topUp().id(),
                        day.balance().id());
        for (int i = 0; i < rows.size(); i++) {
            Payment p = payments.get(day.all().get(i).id());
            assertThat(rows.get(i))
                    .containsExactly(
                            local(p.createdAt()),
                            p.id(),
                            number(p.invoiceId()),
                            p.invoiceId() == null ? null : merchantCode,
                            customer,
                            "Покупатель",
                            "individual",
                            p.purpose().code(),
                            p.method().code(),
                            p.provider(),
                            p.providerPaymentId(),
                            p.amount().minor(),
                            p.refunded().minor(),
                            "RUB");
        }
        assertThat(sum(rows, 11))
                .isEqualTo(day.all().stream().mapToLong(p -> p.amount().minor()).sum())
                .isEqualTo(1_000_00 + 2_000_00 + 3_000_00 + 1_000_00);
        assertThat(sum(rows, 12)).isEqualTo(day.refund().amount().minor());
    }

    @Test
    void eachFilterOfThePaymentsRegisterNarrowsIt() {
        Day day = aDayOfPayments();
        long otherBuyer = buyer();
        Invoice other = invoiceOf(otherBuyer, 3);
        Payment others = payments.recordBankTransfer(other.id(), other.total(), "PP2-" + run);
        long company = customers
                .create(new NewCustomer(CustomerType.COMPANY, "ООО Ромашка", "b2b@example.ru", null, "7707083893"))
                .id();
        Invoice business = invoiceOf(company, 1);
        Payment companys = payments.recordBankTransfer(business.id(), business.total(), "PP3-" + run);

        assertThat(column(detail(ReportType.PAYMENTS, today().merchant(merchantCode)), 1))
                .as("a top-up has no merchant")
                .containsExactly(
                        day.card().id(), day.transfer().id(), day.balance().id(), others.id(), companys.id());
        assertThat(column(
                        detail(
                                ReportType.PAYMENTS,
                                today().merchant(merchantCode).customerType(CustomerType.COMPANY)),
                        1))
                .containsExactly(companys.id());
        assertThat(column(
                        detail(
                                ReportType.PAYMENTS,
                                today().merchant(merchantCode).customerType(CustomerType.INDIVIDUAL)),
                        1))
                .containsExactly(
                        day.card().id(), day.transfer().id(), day.balance().id(), others.id());
        assertThat(column(detail(ReportType.PAYMENTS, today().provider(provider)), 1))
                .containsExactly(day.card().id());
        assertThat(column(
                        detail(
                                ReportType.PAYMENTS,
                                today().merchant(merchantCode).status("bank_transfer")),
                        1))
                .containsExactly(day.transfer().id(), others.id(), companys.id());
        assertThat(column(detail(ReportType.PAYMENTS, today().customer(customer).status("balance")), 1))
                .containsExactly(day.balance().id());
        assertThat(column(detail(ReportType.PAYMENTS, today().customer(otherBuyer)), 1))
                .containsExactly(others.id());
        assertThat(column(
                        detail(
                                ReportType.PAYMENTS,
                                today().customer(customer).min(1_000_00).max(1_000_00)),
                        1))
                .containsExactly(day.card().id(), day.balance().id());
        assertThat(column(detail(ReportType.PAYMENTS, today().customer(customer).min(1_000_01)), 1))
                .containsExactly(day.transfer().id(), day.topUp().id());
        assertThat(detail(
                        ReportType.PAYMENTS,
                        new F().from(today.minusDays(3)).to(today.minusDays(1)).customer(customer)))
                .isEmpty();
        assertThat(detail(
                        ReportType.PAYMENTS,
                        new F().from(today.minusDays(1)).to(today.plusDays(1)).customer(customer)))
                .hasSize(4);
    }

    @Test
    void aPaymentFallsOnTheBusinessDayOfMoscowAndShowsMoscowsWallClock() {
        LocalDate day = today.minusDays(10);
        Instant midnight = day.plusDays(1).atStartOfDay(calendar.zone()).toInstant();
        clock.set(midnight.minusMillis(1));
        Payment lastOfTheDay = payments.topUp(customer, Money.rub(100_00), "TU1-" + run);
        clock.set(midnight);
        Payment firstOfTheNext = payments.topUp(customer, Money.rub(200_00), "TU2-" + run);

        List<Object[]> onTheDay =
                detail(ReportType.PAYMENTS, new F().from(day).to(day).customer(customer));
        List<Object[]> onTheNext = detail(
                ReportType.PAYMENTS,
                new F().from(day.plusDays(1)).to(day.plusDays(1)).customer(customer));

        assertThat(column(onTheDay, 1)).containsExactly(lastOfTheDay.id());
        assertThat(onTheDay.getFirst()[0]).isEqualTo(day.atTime(23, 59, 59, 999_000_000));
        assertThat(column(onTheNext, 1)).containsExactly(firstOfTheNext.id());
        assertThat(onTheNext.getFirst()[0]).isEqualTo(day.plusDays(1).atStartOfDay());
    }

    @Test
    void anotherMerchantsRegisterHasNoneOfThesePayments() {
        aDayOfPayments();
        String other = "O" + run.toUpperCase().substring(0, 6);
        catalog.createMerchant(other, "Другой магазин", null);

        assertThat(detail(ReportType.PAYMENTS, today().merchant(other))).isEmpty();
        assertThat(detail(ReportType.PAYMENTS, today().merchant("NOSUCH"))).isEmpty();
    }

    @Test
    void hostileFilterValuesAreRefusedBeforeAnyQuery() {
        for (F hostile : List.of(
                today().provider("x'; delete from payment; --"),
                today().merchant("' or 1=1 --"),
                today().status("card' or 'a'='a"),
                today().provider("p".repeat(10_000)))) {
            assertThatThrownBy(() -> detail(ReportType.PAYMENTS, hostile)).isInstanceOf(InvalidFilterException.class);
        }
    }

    @Test
    void everyRefundIsListedWithThePaymentItReturns() {
        Day day = aDayOfPayments();
        Invoice byCard = invoice(4);
        Payment card = payments.recordCardPayment(byCard.id(), byCard.total(), provider, "tp2-" + run);
        Refund cardRefund = payments.recordCardRefund(byCard.id(), card.id(), Money.rub(1_500_00), "returned");

        List<Object[]> rows = detail(ReportType.REFUNDS, today().customer(customer));

        assertThat(column(rows, 1)).containsExactly(day.refund().id(), cardRefund.id());
        Refund r = day.refund();
        assertThat(rows.getFirst())
                .containsExactly(
                        local(r.createdAt()),
                        r.id(),
                        day.transfer().id(),
                        number(r.invoiceId()),
                        merchantCode,
                        customer,
                        "Покупатель",
                        "individual",
                        "bank_transfer",
                        null,
                        null,
                        120_00L,
                        "RUB",
                        "partial");
        assertThat(rows.get(1)).contains(provider, "tp2-" + run, 1_500_00L, "card");
        assertThat(sum(rows, 11))
                .isEqualTo(payments.refundsOf(byCard.id()).getFirst().amount().minor()
                        + payments.refundsOf(day.transfer().invoiceId())
                                .getFirst()
                                .amount()
                                .minor());
        assertThat(column(detail(ReportType.REFUNDS, today().provider(provider)), 1))
                .containsExactly(cardRefund.id());
        assertThat(column(
                        detail(
                                ReportType.REFUNDS,
                                today().merchant(merchantCode).max(1_000_00)),
                        1))
                .containsExactly(day.refund().id());
        assertThat(column(detail(ReportType.REFUNDS, today().customer(customer).min(1_000_00)), 1))
                .containsExactly(cardRefund.id());
        assertThat(detail(ReportType.REFUNDS, today().customer(buyer()))).isEmpty();
        assertThat(detail(ReportType.REFUNDS, today().merchant(merchantCode).customerType(CustomerType.INDIVIDUAL)))
                .hasSize(2);
        assertThat(detail(ReportType.REFUNDS, today().merchant(merchantCode).customerType(CustomerType.COMPANY)))
                .isEmpty();
    }

    @Test
    void holdsAreListedActiveCapturedReleasedOrExpired() {
        payments.topUp(customer, Money.rub(10_000_00), "TU-" + run);
        Hold captured = holds.place(invoice(1).id(), null, null);
        Hold released = holds.place(invoice(2).id(), null, null);
        Hold expiring = holds.place(invoice(1).id(), null, Duration.ofSeconds(1));
        Invoice byCard = invoice(3);
        Hold active = holds.placeCard(byCard.id(), byCard.total(), provider, "th-" + run, null)
                .orElseThrow();
        holds.capture(captured.id(), Money.rub(600_00));
        holds.release(released.id());
        clock.advance(Duration.ofSeconds(2));
        holds.expireDue();

        List<Object[]> rows = detail(ReportType.HOLDS, today().customer(customer));

        List<Hold> all = List.of(captured, released, expiring, active);
        assertThat(column(rows, 1))
                .containsExactlyElementsOf(all.stream().map(Hold::id).toList());
        assertThat(column(rows, 13)).containsExactly("captured", "released", "expired", "active");
        for (int i = 0; i < rows.size(); i++) {
            Hold h = holds.get(all.get(i).id());
            assertThat(rows.get(i))
                    .containsExactly(
                            local(h.createdAt()),
                            h.id(),
                            invoicing.get(h.invoiceId()).number(),
                            merchantCode,
                            customer,
                            "Покупатель",
                            "individual",
                            h.source().code(),
                            h.provider(),
                            h.providerPaymentId(),
                            h.amount().minor(),
                            h.captured().minor(),
                            "RUB",
                            h.status().code(),
                            local(h.expiresAt()),
                            h.resolvedAt() == null ? null : local(h.resolvedAt()));
        }
        assertThat(sum(rows, 10)).isEqualTo(1_000_00 + 2_000_00 + 1_000_00 + 3_000_00);
        assertThat(sum(rows, 11)).isEqualTo(600_00);
        assertThat(column(detail(ReportType.HOLDS, today().customer(customer).status("expired")), 1))
                .containsExactly(expiring.id());
        assertThat(detail(ReportType.HOLDS, today().merchant(merchantCode).customerType(CustomerType.INDIVIDUAL)))
                .hasSize(4);
        assertThat(detail(ReportType.HOLDS, today().merchant(merchantCode).customerType(CustomerType.SOLE_PROPRIETOR)))
                .isEmpty();
        assertThat(column(detail(ReportType.HOLDS, today().provider(provider)), 1))
                .containsExactly(active.id());
        assertThat(column(
                        detail(ReportType.HOLDS, today().merchant(merchantCode).min(2_000_00)), 1))
                .containsExactly(released.id(), active.id());
    }
}
