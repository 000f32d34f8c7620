package io.kopek.billing;

import io.kopek.ledger.AccountSpec;
import io.kopek.ledger.Ledger;
import java.util.Currency;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Kopek's chart of accounts, opened on first use. */
@Component
class Accounts {

    private final Ledger ledger;
    /** Codes known to exist; added only after the transaction that opened them commits. */
    private final Set<String> opened = ConcurrentHashMap.newKeySet();

    Accounts(Ledger ledger) {
        this.ledger = ledger;
    }

    /** What the merchant owes the customer: prepaid money. Never negative unless a rule grants credit. */
    String balance(long customerId, Currency currency) {
        return ensure(AccountSpec.creditNormal(balanceCode(customerId, currency), currency, false));
    }

    static String balanceCode(long customerId, Currency currency) {
        return "customer:" + customerId + ":balance:" + currency.getCurrencyCode();
    }

    /** What the customer owes on issued invoices. */
    String receivable(long customerId, Currency currency) {
        return ensure(AccountSpec.debitNormal(
                "customer:" + customerId + ":receivable:" + currency.getCurrencyCode(), currency, false));
    }

    String revenue(String category, Currency currency) {
        return ensure(
                AccountSpec.creditNormal("revenue:" + category + ":" + currency.getCurrencyCode(), currency, true));
    }

    String vatPayable(Currency currency) {
        return ensure(AccountSpec.creditNormal("vat:payable:" + currency.getCurrencyCode(), currency, true));
    }

    /** The merchant's bank account, where bank transfers arrive and refunds leave. */
    String bank(Currency currency) {
        return ensure(AccountSpec.debitNormal("bank:" + currency.getCurrencyCode(), currency, true));
    }

    /**
     * What a payment provider owes the merchant: card payments come in here, refunds and the provider's fees go
     * out, and its settlement to the bank empties it.
     */
    String providerClearing(String provider, Currency currency) {
        return ensure(AccountSpec.debitNormal(
                "provider:" + provider + ":clearing:" + currency.getCurrencyCode(), currency, true));
    }

    /** What payment providers charge the merchant: commissions, as their settlement registries state them. */
    String providerFees(String provider, Currency currency) {
        return ensure(AccountSpec.debitNormal(
                "provider:" + provider + ":fees:" + currency.getCurrencyCode(), currency, true));
    }

    private String ensure(AccountSpec spec) {
        if (opened.contains(spec.code())) {
            return spec.code();
        }
        ledger.open(spec);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    opened.add(spec.code());
                }
            });
        } else {
            opened.add(spec.code());
        }
        return spec.code();
    }
}
