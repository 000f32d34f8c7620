package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where posted transactions are written. Every posting is a balanced transaction; the accounts it touches are
 * locked in id order, checked against their no-negative rule and updated together with the entries, inside
 * the caller's database transaction when there is one. Pending transfers (holds) are reserved, posted and voided
 * by the database functions {@code ledger_reserve}, {@code ledger_post_pending} and {@code ledger_void_pending}
 * (migration {@code V11}), which billing's hold functions call, under the same rules. Those rules are thus written
 * twice, here and in {@code ledger_post_pending}: a single database function serving both cost a hold's capture
 * about a quarter of its throughput, so the copies stay, and the ledger's tests and the billing property test hold
 * them to the same behaviour.
 */
@Service
public class Ledger {

    private final LedgerStore store;

    Ledger(LedgerStore store) {
        this.store = store;
    }

    /** Opens the account if it does not exist yet; opening an existing one with another spec is an error. */
    @Transactional
    public void open(AccountSpec spec) {
        store.insertAccountIfAbsent(spec);
        AccountRow existing = store.findAccount(spec.code()).orElseThrow();
        if (!existing.currency().equals(spec.currency())
                || existing.normalSide() != spec.normalSide()
                || existing.allowNegative() != spec.allowNegative()) {
            throw new IllegalStateException("account " + spec.code() + " already exists with another definition");
        }
    }

    @Transactional
    public PostingOutcome post(LedgerTransaction transaction) {
        return postAll(List.of(transaction)).getFirst();
    }

    /**
     * Posts many transactions in a few set-based statements; the outcome list follows the input order. A
     * transaction whose id was posted before (or earlier in the same list) changes nothing.
     */
    @Transactional
    public List<PostingOutcome> postAll(List<LedgerTransaction> transactions) {
        if (transactions.isEmpty()) {
            return List.of();
        }
        Map<UUID, LedgerTransaction> unique = new LinkedHashMap<>();
        transactions.forEach(t -> unique.putIfAbsent(t.id(), t));
        Set<UUID> written = store.insertTransactions(unique.values());

        List<LedgerTransaction> fresh =
                unique.values().stream().filter(t -> written.contains(t.id())).toList();
        if (!fresh.isEmpty()) {
            writeEntries(fresh);
        }

        Set<UUID> counted = new java.util.HashSet<>();
        List<PostingOutcome> outcomes = new ArrayList<>(transactions.size());
        for (LedgerTransaction t : transactions) {
            boolean firstTime = written.contains(t.id()) && counted.add(t.id());
            outcomes.add(firstTime ? PostingOutcome.POSTED : PostingOutcome.ALREADY_POSTED);
        }
        return outcomes;
    }

    private void writeEntries(List<LedgerTransaction> fresh) {
        Set<String> codes = new TreeSet<>();
        fresh.forEach(t -> t.entries().forEach(e -> codes.add(e.accountCode())));
        Map<String, AccountRow> accounts = store.lockAccounts(codes);

        // Checked transaction by transaction, in order, as if each were posted alone.
        Map<Long, Long> available = new HashMap<>();
        Map<Long, long[]> postedDelta = new HashMap<>(); // account id -> {debits, credits}
        List<EntryRow> rows = new ArrayList<>();
        for (LedgerTransaction t : fresh) {
            Map<AccountRow, Long> change = new LinkedHashMap<>();
            for (Entry e : t.entries()) {
                AccountRow account = requireAccount(accounts, e.accountCode(), e.amount());
                rows.add(new EntryRow(t.id(), account.id(), e.side(), e.amount()));
                int column = e.side() == Side.DEBIT ? 0 : 1;
                long[] delta = postedDelta.computeIfAbsent(account.id(), id -> new long[2]);
                delta[column] = Math.addExact(delta[column], e.amount().minor());
                long signed = e.side() == account.normalSide()
                        ? e.amount().minor()
                        : -e.amount().minor();
                change.merge(account, signed, Math::addExact);
            }
            change.forEach((account, amount) -> {
                long before = available.computeIfAbsent(account.id(), id -> account.availableOnNormalSide());
                long after = Math.addExact(before, amount);
                long floor = -t.creditLimits().getOrDefault(account.code(), 0L);
                if (amount < 0 && after < floor && !account.allowNegative()) {
                    throw new InsufficientFundsException(
                            account.code(),
                            new Money(before - floor, account.currency()),
                            new Money(-amount, account.currency()));
                }
                available.put(account.id(), after);
            });
        }
        store.insertEntries(rows);
        store.addPosted(postedDelta);
    }

    private static AccountRow requireAccount(Map<String, AccountRow> accounts, String code, Money amount) {
        AccountRow account = accounts.get(code);
        if (account == null) {
            throw new UnknownAccountException(code);
        }
        if (!account.currency().equals(amount.currency())) {
            throw new IllegalArgumentException(
                    "account " + code + " is in " + account.currency().getCurrencyCode() + ", amount is " + amount);
        }
        return account;
    }

    @Transactional(readOnly = true)
    public Optional<AccountBalance> balance(String accountCode) {
        return store.findAccount(accountCode).map(AccountRow::balance);
    }

    /** Balances of the accounts whose code starts with {@code prefix}, by code. */
    @Transactional(readOnly = true)
    public List<AccountBalance> balancesWithPrefix(String prefix) {
        return store.accountsWithPrefix(prefix).stream()
                .map(AccountRow::balance)
                .toList();
    }

    /**
     * The id of the latest entry this transaction sees: a watermark for a reader that must give the same figures when it
     * reads again (a report run reads entries up to it).
     */
    @Transactional(readOnly = true)
    public long lastEntryId() {
        return store.lastEntryId();
    }

    /** Entries of one account in posting order, after entry id {@code afterId} (cursor pagination). */
    @Transactional(readOnly = true)
    public List<LedgerEntryView> entries(String accountCode, long afterId, int limit) {
        return store.entries(accountCode, afterId, limit);
    }
}
