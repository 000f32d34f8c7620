package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.CoreTestApplication;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rules the database holds every row of the hot tables to (migrations {@code ledger/V2.5} and
 * {@code billing/V6.18}: one CHECK per table, a function of the row), each broken on its own by a write that goes
 * around the Java code and the database functions: every one is refused by its table's constraint, and the same
 * rows changed within the rules are not. A provider's payment is named by one hold and one payment at most.
 */
@SpringBootTest(classes = CoreTestApplication.class)
class RowRulesTest {

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
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    FundedCustomer funded;
    long invoice;
    Hold hold;
    long topUp;
    long paid;
    UUID transfer;

    /** A funded customer's invoice with a reference, paid by a hold on the balance that was captured. */
    @BeforeEach
    void aCapturedHoldOnAFundedCustomersInvoice() {
        funded = FundedCustomer.create(catalog, pricing, customers, payments, "ruled", Money.rub(1_000_00));
        topUp = funded.topUp();
        invoice = invoice("ORDER-" + funded.run());
        hold = holds.captureOnTheBalance(holds.place(invoice, null, null).id(), null);
        paid = jdbc.sql("select id from payment where hold_id = ?")
                .param(hold.id())
                .query(Long.class)
                .single();
        transfer = jdbc.sql("select transfer_id from hold where id = ?")
                .param(hold.id())
                .query(UUID.class)
                .single();
    }

    @Test
    void aHoldBreakingAnyOfItsRulesIsRefused() {
        long id = hold.id();
        refused("hold_rules", "update hold set status = 'lost' where id = ?", id);
        refused("hold_rules", "update hold set source = 'cash' where id = ?", id);
        refused("hold_rules", "update hold set amount = 0 where id = ?", id);
        refused("hold_rules", "update hold set captured_amount = 0 where id = ?", id);
        refused("hold_rules", "update hold set captured_amount = amount + 1 where id = ?", id);
        refused("hold_rules", "update hold set source = 'card' where id = ?", id);
        refused("hold_rules", "update hold set provider = 'yookassa', provider_payment_id = 'p-1' where id = ?", id);
        allowed("update hold set captured_amount = amount - 1, status = 'captured' where id = ?", id);
    }

    @Test
    void anInvoiceBreakingAnyOfItsRulesIsRefused() {
        refused("invoice_rules", "update invoice set status = 'lost' where id = ?", invoice);
        refused("invoice_rules", "update invoice set total = -1, paid_amount = 0 where id = ?", invoice);
        refused("invoice_rules", "update invoice set vat_total = -1 where id = ?", invoice);
        refused("invoice_rules", "update invoice set paid_amount = -1 where id = ?", invoice);
        refused("invoice_rules", "update invoice set paid_amount = total + 1 where id = ?", invoice);
        refused("invoice_rules", "update invoice set refunded_amount = -1 where id = ?", invoice);
        refused("invoice_rules", "update invoice set refunded_amount = paid_amount + 1 where id = ?", invoice);
        refused("invoice_rules", "update invoice set order_ref_scope = 'world' where id = ?", invoice);
        refused("invoice_rules", "update invoice set order_ref_scope = null where id = ?", invoice);
        refused("invoice_rules", "update invoice set order_ref = null where id = ?", invoice);
        allowed(
                "update invoice set order_ref = null, order_ref_scope = null, refunded_amount = paid_amount"
                        + " where id = ?",
                invoice);
    }

    @Test
    void aPaymentBreakingAnyOfItsRulesIsRefused() {
        refused("payment_rules", "update payment set status = 'failed' where id = ?", paid);
        refused("payment_rules", "update payment set method = 'cash' where id = ?", paid);
        refused("payment_rules", "update payment set purpose = 'tip' where id = ?", paid);
        refused("payment_rules", "update payment set purpose = 'top_up' where id = ?", paid);
        refused("payment_rules", "update payment set purpose = 'invoice' where id = ?", topUp);
        refused("payment_rules", "update payment set amount = 0 where id = ?", paid);
        refused("payment_rules", "update payment set refunded_amount = -1 where id = ?", paid);
        refused("payment_rules", "update payment set refunded_amount = amount + 1 where id = ?", paid);
        refused("payment_rules", "update payment set method = 'card' where id = ?", paid);
        refused(
                "payment_rules",
                "update payment set provider = 'sber', provider_payment_id = 'p-1' where id = ?",
                paid);
        allowed("update payment set refunded_amount = amount, method = 'bank_transfer' where id = ?", paid);
    }

    @Test
    void aPendingTransferBreakingAnyOfItsRulesIsRefused() {
        UUID id = transfer;
        refused("ledger_pending_transfer_rules", "update ledger_pending_transfer set status = 'lost' where id = ?", id);
        refused("ledger_pending_transfer_rules", "update ledger_pending_transfer set amount = 0 where id = ?", id);
        refused(
                "ledger_pending_transfer_rules",
                "update ledger_pending_transfer set credit_limit = -1 where id = ?",
                id);
        refused(
                "ledger_pending_transfer_rules",
                "update ledger_pending_transfer set posted_amount = 0 where id = ?",
                id);
        refused(
                "ledger_pending_transfer_rules",
                "update ledger_pending_transfer set posted_amount = amount + 1 where id = ?",
                id);
        allowed("update ledger_pending_transfer set posted_amount = null, status = 'voided' where id = ?", id);
    }

    @Test
    void anAccountOrAnEntryBreakingAnyOfItsRulesIsRefused() {
        long account = jdbc.sql("select debit_account_id from ledger_pending_transfer where id = ?")
                .param(transfer)
                .query(Long.class)
                .single();
        for (String column : List.of("debits_posted", "credits_posted", "debits_pending", "credits_pending")) {
            refused("ledger_account_rules", "update ledger_account set " + column + " = -1 where id = ?", account);
        }
        refused("ledger_account_rules", "update ledger_account set normal_side = 'X' where id = ?", account);
        allowed("update ledger_account set debits_pending = 0, credits_pending = 0 where id = ?", account);

        String copy = "insert into ledger_entry (transaction_id, account_id, side, amount, currency)"
                + " select transaction_id, account_id, %s, %s, currency from ledger_entry where account_id = ?";
        refused("ledger_entry_rules", copy.formatted("'X'", "amount"), account);
        refused("ledger_entry_rules", copy.formatted("side", "0"), account);
    }

    @Test
    void aProviderPaymentIsNamedByOneHoldAndByOnePaymentAtMost() {
        // billing/V6.20: unique indexes over the rows that name a provider's payment, no longer over every row
        long other = holds.place(invoice("SECOND-" + funded.run()), null, null).id();
        named(
                "hold_provider_payment_once",
                "update hold set source = 'card', provider = 'yookassa', provider_payment_id = 'pp-1' where id = ?",
                hold.id(),
                other);
        named(
                "payment_provider_payment_once",
                "update payment set method = 'card', provider = 'sber', provider_payment_id = 'pp-1' where id = ?",
                paid,
                topUp);
        // and only over such rows: a hold or a payment on the balance has no entry in either index
        assertThat(jdbc.sql("select count(*) from pg_indexes where indexname in (?, ?) and indexdef like ?")
                        .params(
                                "hold_provider_payment_once",
                                "payment_provider_payment_once",
                                "% WHERE ((provider IS NOT NULL) AND (provider_payment_id IS NOT NULL))")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    private long invoice(String orderRef) {
        return invoicing
                .place(new PlaceOrder(
                        funded.customer(),
                        orderRef,
                        calendar.today().plusDays(10),
                        List.of(new PlaceOrder.Item(funded.product(), BigDecimal.ONE))))
                .id();
    }

    /**
     * The write names a provider's payment on the first row; on the second as well, it is refused by the named
     * unique index (SQLSTATE 23505). Both are rolled back.
     */
    private void named(String index, String sql, long first, long second) {
        assertThatThrownBy(() -> transactions.execute(tx -> {
                    tx.setRollbackOnly();
                    assertThat(jdbc.sql(sql).param(first).update()).as(sql).isOne();
                    return jdbc.sql(sql).param(second).update();
                }))
                .as(sql)
                .isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("violates unique constraint \"" + index + "\"")
                .rootCause()
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }

    /** The write is refused by the named CHECK constraint (SQLSTATE 23514), and nothing of it stays. */
    private void refused(String constraint, String sql, Object id) {
        assertThatThrownBy(() -> inRollback(sql, id))
                .as(sql)
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("violates check constraint \"" + constraint + "\"")
                .rootCause()
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
    }

    /** The write is taken (then rolled back): the rules do not refuse a row that keeps them. */
    private void allowed(String sql, Object id) {
        assertThat(inRollback(sql, id)).as(sql).isEqualTo(1);
    }

    private int inRollback(String sql, Object id) {
        return transactions.execute(tx -> {
            tx.setRollbackOnly();
            return jdbc.sql(sql).param(id).update();
        });
    }
}
