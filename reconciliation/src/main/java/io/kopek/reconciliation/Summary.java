package io.kopek.reconciliation;

import io.kopek.reconciliation.ReconciliationEvents.Settlement;
import io.kopek.reconciliation.ReconciliationEvents.Totals;
import java.util.Map;

/**
 * What a run found: per result class (by its code, every class present) how many and how much, all currencies
 * together; and the settlement the ledger expects beside what the registry settles.
 */
public record Summary(Map<String, Totals> results, Settlement settlement) {

    /** The totals of one result class. */
    public Totals of(ResultClass result) {
        return results.get(result.code());
    }
}
