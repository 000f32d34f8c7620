package io.kopek.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where posted transactions are written. Every posting is a balanced transaction; the accounts it touches are
 * locked in id order, checked against their no-negative rule and updated together with the entries, inside
 * the caller's database transaction when there is one. One implementation does that, the database function
 * {@code ledger_post} (migration {@code V12}): for the postings from here and for pending transfers (holds),
 * which the functions {@code ledger_reserve}, {@code ledger_post_pending} and {@code ledger_void_pending} reserve,
 * post and void for billing's hold functions.
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
     * Posts many transactions in one call of the database function {@code ledger_post}; the outcome list follows
     * the input order. A transaction whose id was posted before (or earlier in the same list) changes nothing.
     */
    @Transactional
    public List<PostingOutcome> postAll(List<LedgerTransaction> transactions) {
        if (transactions.isEmpty()) {
            return List.of();
        }
        Set<UUID> written;
        try {
            written = store.post(transactions);
        } catch (DataAccessException e) {
            RuntimeException refusal = LedgerRefusals.translate(e);
            throw refusal == null ? e : refusal;
        }
        Set<UUID> counted = new HashSet<>();
        List<PostingOutcome> outcomes = new ArrayList<>(transactions.size());
        for (LedgerTransaction t : transactions) {
            boolean firstTime = written.contains(t.id()) && counted.add(t.id());
            outcomes.add(firstTime ? PostingOutcome.POSTED : PostingOutcome.ALREADY_POSTED);
        }
        return outcomes;
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

    /** Entries of one account in posting order, after entry id {@code afterId} (cursor pagination). */
    @Transactional(readOnly = true)
    public List<LedgerEntryView> entries(String accountCode, long afterId, int limit) {
        return store.entries(accountCode, afterId, limit);
    }
}
