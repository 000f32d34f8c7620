package io.kopek.batch.chain;

import java.time.LocalDate;
import java.util.List;

/** A provider's business day without a completed chain, and the steps a catch-up will run for it. */
public record MissedDay(String provider, LocalDate businessDate, List<Chain.StepName> steps) {

    static MissedDay of(String provider, LocalDate day) {
        return new MissedDay(provider, day, List.of(Chain.StepName.values()));
    }
}
