package io.kopek.ledger;

import static io.kopek.money.Money.RUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.money.Money;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class LedgerTest {

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    String clearing;
    String wallet;

    @BeforeEach
    void openAccounts() {
        String run = UUID.randomUUID().toString();
        clearing = "provider:test:clearing:" + run;
        wallet = "customer:" + run + ":balance";
        ledger.open(AccountSpec.debitNormal(clearing, RUB, true));
        ledger.open(AccountSpec.creditNormal(wallet, RUB, false));
    }

    @Test
    void aTransferMovesBothBalances() {
        ledger.post(
                LedgerTransaction.transfer(UUID.randomUUID(), "top_up", "inv-1", clearing, wallet, Money.rub(150_00)));

        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(150_00));
        assertThat(ledger.balance(clearing).orElseThrow().posted()).isEqualTo(Money.rub(150_00));
    }

    @Test
    void postingTheSameTransactionTwiceChangesNothingTheSecondTime() {
        var topUp = LedgerTransaction.transfer(UUID.randomUUID(), "top_up", null, clearing, wallet, Money.rub(70));

        assertThat(ledger.post(topUp)).isEqualTo(PostingOutcome.POSTED);
        assertThat(ledger.postAll(List.of(topUp, topUp)))
                .containsExactly(PostingOutcome.ALREADY_POSTED, PostingOutcome.ALREADY_POSTED);
        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(70));
    }

    @Test
    void aBalanceThatMayNotGoNegativeRejectsTheWholeBatch() {
        var topUp = LedgerTransaction.transfer(UUID.randomUUID(), "top_up", null, clearing, wallet, Money.rub(100));
        var overspend = LedgerTransaction.transfer(UUID.randomUUID(), "pay", null, wallet, clearing, Money.rub(101));

        assertThatThrownBy(() -> ledger.postAll(List.of(topUp, overspend)))
                .isInstanceOf(InsufficientFundsException.class)
                .hasMessageContaining("1.00 RUB available, 1.01 RUB requested");
        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(0));
    }

    @Test
    void anUnbalancedTransactionCannotBeBuilt() {
        assertThatThrownBy(() -> new LedgerTransaction(
                        UUID.randomUUID(),
                        "broken",
                        null,
                        List.of(Entry.debit(clearing, Money.rub(100)), Entry.credit(wallet, Money.rub(99)))))
                .isInstanceOf(UnbalancedTransactionException.class)
                .hasMessageContaining("0.01 RUB");
    }

    @Test
    void theDatabaseRejectsUnbalancedEntriesWrittenAroundTheLedger() {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into ledger_transaction (id, kind) values (?, 'raw')", id);
        Long accountId = jdbc.queryForObject("select id from ledger_account where code = ?", Long.class, wallet);

        assertThatThrownBy(() -> jdbc.update(
                        "insert into ledger_entry (transaction_id, account_id, side, amount, currency)"
                                + " values (?, ?, 'D', 100, 'RUB')",
                        id,
                        accountId))
                .hasMessageContaining("is unbalanced in RUB");
    }

    @Test
    void entriesCannotBeEdited() {
        ledger.post(LedgerTransaction.transfer(UUID.randomUUID(), "top_up", null, clearing, wallet, Money.rub(5)));

        assertThatThrownBy(() -> jdbc.update("update ledger_entry set amount = 1"))
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.update("delete from ledger_entry")).hasMessageContaining("immutable");
    }

    @Test
    void transactionsOfOneBatchAreCheckedInOrderAsIfPostedOneByOne() {
        var spend = LedgerTransaction.transfer(UUID.randomUUID(), "pay", null, wallet, clearing, Money.rub(100));
        var topUp = LedgerTransaction.transfer(UUID.randomUUID(), "top_up", null, clearing, wallet, Money.rub(100));

        assertThatThrownBy(() -> ledger.postAll(List.of(spend, topUp)))
                .isInstanceOf(InsufficientFundsException.class)
                .hasMessageContaining("0.00 RUB available, 1.00 RUB requested");
        assertThat(ledger.postAll(List.of(topUp, spend))).containsExactly(PostingOutcome.POSTED, PostingOutcome.POSTED);
        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(0));
        assertThat(ledger.balance(clearing).orElseThrow().posted()).isEqualTo(Money.rub(0));
    }

    @Test
    void aCreditLimitLetsATransactionGoBelowZeroAsFarAsTheLimitAndNoFurther() {
        var onCredit = LedgerTransaction.transfer(UUID.randomUUID(), "pay", null, wallet, clearing, Money.rub(300_00))
                .withCreditLimit(wallet, 300_00);
        var beyond = LedgerTransaction.transfer(UUID.randomUUID(), "pay", null, wallet, clearing, Money.rub(1))
                .withCreditLimit(wallet, 300_00);

        assertThat(ledger.post(onCredit)).isEqualTo(PostingOutcome.POSTED);
        assertThatThrownBy(() -> ledger.post(beyond))
                .isInstanceOf(InsufficientFundsException.class)
                .satisfies(e -> {
                    var refusal = (InsufficientFundsException) e;
                    assertThat(refusal.accountCode()).isEqualTo(wallet);
                    assertThat(refusal.available()).isEqualTo(Money.rub(0));
                    assertThat(refusal.requested()).isEqualTo(Money.rub(1));
                });
        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(-300_00));
    }

    @Test
    void anAmountInAnotherCurrencyThanTheAccountsIsRejected() {
        var dollars = LedgerTransaction.transfer(
                UUID.randomUUID(),
                "top_up",
                null,
                clearing,
                wallet,
                new Money(100, java.util.Currency.getInstance("USD")));

        assertThatThrownBy(() -> ledger.post(dollars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is in RUB");
        assertThat(ledger.balance(wallet).orElseThrow().posted()).isEqualTo(Money.rub(0));
    }

    @Test
    void postingToAnAccountNeverOpenedIsRejected() {
        var toNowhere = LedgerTransaction.transfer(UUID.randomUUID(), "x", null, clearing, "nowhere", Money.rub(1));

        assertThatThrownBy(() -> ledger.post(toNowhere))
                .isInstanceOf(UnknownAccountException.class)
                .hasMessageContaining("nowhere");
    }
}
