package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A balanced set of entries posted atomically. The id is chosen by the caller (derived from the business
 * event it records), so posting the same transaction twice is recognised and changes nothing.
 */
public record LedgerTransaction(
        UUID id, String kind, String reference, List<Entry> entries, Map<String, Long> creditLimits) {

    public LedgerTransaction(UUID id, String kind, String reference, List<Entry> entries) {
        this(id, kind, reference, entries, Map.of());
    }

    public LedgerTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        entries = List.copyOf(entries);
        creditLimits = Map.copyOf(creditLimits);
        if (entries.size() < 2) {
            throw new UnbalancedTransactionException(id, "needs at least two entries");
        }
        Map<Currency, Long> net = new HashMap<>();
        for (Entry entry : entries) {
            long signed = entry.side() == Side.DEBIT
                    ? entry.amount().minor()
                    : -entry.amount().minor();
            net.merge(entry.amount().currency(), signed, Math::addExact);
        }
        net.forEach((currency, difference) -> {
            if (difference != 0) {
                throw new UnbalancedTransactionException(
                        id, "debits - credits = " + new Money(difference, currency) + " (must be zero per currency)");
            }
        });
    }

    /**
     * The same transaction, allowed to take {@code accountCode} down to {@code -limit} (a billing rule's credit
     * allowance) even though the account itself may not go negative.
     */
    public LedgerTransaction withCreditLimit(String accountCode, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("credit limit must not be negative");
        }
        Map<String, Long> limits = new HashMap<>(creditLimits);
        limits.put(accountCode, limit);
        return new LedgerTransaction(id, kind, reference, entries, limits);
    }

    /** The common two-legged transfer: debit one account, credit another. */
    public static LedgerTransaction transfer(
            UUID id, String kind, String reference, String debitAccount, String creditAccount, Money amount) {
        return new LedgerTransaction(
                id, kind, reference, List.of(Entry.debit(debitAccount, amount), Entry.credit(creditAccount, amount)));
    }
}
