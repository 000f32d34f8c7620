package io.kopek.reconciliation;

import java.time.LocalDate;
import java.util.List;

/**
 * Which discrepancies one resolution closes together: these ids (each must be open), or every open discrepancy
 * that matches a filter (any of provider, business day and result class; at least one of them).
 */
public sealed interface DiscrepancySelection {

    record Ids(List<Long> ids) implements DiscrepancySelection {
        public Ids {
            ids = List.copyOf(ids);
        }
    }

    record Filter(String provider, LocalDate businessDate, ResultClass resultClass) implements DiscrepancySelection {}
}
