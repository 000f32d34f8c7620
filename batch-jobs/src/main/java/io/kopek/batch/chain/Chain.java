package io.kopek.batch.chain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One attempt at a provider's business day: its steps in order ({@link StepName}), each with its state, the job
 * run it was (if any), its times and, when it failed, why; the chain's {@code error} names the step that failed.
 */
public record Chain(
        long id,
        String provider,
        LocalDate businessDate,
        int attempt,
        Trigger trigger,
        State state,
        Instant startedAt,
        Instant endedAt,
        String error,
        List<Step> steps) {

    public boolean running() {
        return state == State.RUNNING;
    }

    public Step step(StepName name) {
        return steps.stream().filter(s -> s.step() == name).findFirst().orElseThrow();
    }

    public record Step(
            StepName step, StepState state, Long jobRunId, Instant startedAt, Instant endedAt, String error) {}

    /** The steps, in the order they run. */
    public enum StepName {
        /** The provider's new files fetched from its SFTP server into staging. */
        INTAKE,
        /** Each staged file through the {@code registryImport} job; the day's registry imported, or why not. */
        IMPORT,
        /** The {@code reconciliation} job of the provider's day. */
        RECONCILIATION,
        /** The day's reconciliation reports (XLSX and PDF), asked for once and waited for. */
        REPORTS;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static StepName of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public enum State {
        RUNNING,
        COMPLETED,
        FAILED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public enum StepState {
        PENDING,
        RUNNING,
        COMPLETED,
        FAILED,
        /** Not run: a step before it failed. */
        SKIPPED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static StepState of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** What started it. */
    public enum Trigger {
        /** The daily schedule {@code dailyChain}, for yesterday. */
        SCHEDULE,
        /** A person or a machine through the API. */
        MANUAL,
        /** A catch-up of missed days. */
        CATCH_UP;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Trigger of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
