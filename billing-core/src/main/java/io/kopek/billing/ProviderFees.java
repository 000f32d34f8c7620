package io.kopek.billing;

import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerTransaction;
import io.kopek.ledger.PostingOutcome;
import io.kopek.money.Money;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Payment providers' commissions, as their settlement registries state them: an expense of the merchant that
 * the provider keeps out of what it owes ({@code provider:{id}:fees} debited, {@code provider:{id}:clearing}
 * credited).
 */
@Service
public class ProviderFees {

    private final Ledger ledger;
    private final Accounts accounts;

    ProviderFees(Ledger ledger, Accounts accounts) {
        this.ledger = ledger;
        this.accounts = accounts;
    }

    /**
     * Posts {@code fees} once for {@code key}: a repeat with the same key posts nothing. Negative fees (a
     * commission the provider gave back, e.g. on a refund) are posted the other way round.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public PostingOutcome post(String provider, Money fees, String key, String reference) {
        String expense = accounts.providerFees(provider, fees.currency());
        String clearing = accounts.providerClearing(provider, fees.currency());
        UUID id = transactionId(key);
        return ledger.post(
                fees.isNegative()
                        ? LedgerTransaction.transfer(id, "provider_fees", reference, clearing, expense, fees.negate())
                        : LedgerTransaction.transfer(id, "provider_fees", reference, expense, clearing, fees));
    }

    /** The id under which {@link #post} records the fees of {@code key}. */
    public static UUID transactionId(String key) {
        return UUID.nameUUIDFromBytes(("provider_fees:" + key).getBytes(StandardCharsets.UTF_8));
    }
}
