package io.kopek.report;

import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxConsumer;
import io.kopek.outbox.OutboxEvent;
import io.kopek.reconciliation.ReconciliationEvents.ReconciliationCompleted;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * After each reconciliation run of a provider's day, that day's reconciliation report in XLSX and PDF: queued from the
 * {@code reconciliation.completed} event by an outbox consumer of its own, in the same transaction as its position,
 * once per event (the run's origin is the event). Events older than a week are passed over, so a new installation of
 * this consumer does not report every day of the past.
 */
@Service
public class ReconciliationReports {

    static final String CONSUMER = "reports-after-reconciliation";
    static final String REQUESTED_BY = "kopek";
    private static final Duration TOO_OLD = Duration.ofDays(7);

    private final OutboxConsumer consumer;
    private final ReportRuns runs;

    ReconciliationReports(OutboxConsumer consumer, ReportRuns runs) {
        this.consumer = consumer;
        this.runs = runs;
    }

    /** One pass over the outbox; answers how many runs it queued. Run it again while it finds a full batch. */
    public int poll() {
        return consumer.poll(new OutboxConsumer.Subscription(CONSUMER, 200, Duration.ofSeconds(1)), this::handle)
                .made();
    }

    private boolean handle(OutboxEvent event) {
        if (!"reconciliation.completed".equals(event.type())
                || event.occurredAt().isBefore(Instant.now().minus(TOO_OLD))) {
            return false;
        }
        ReconciliationCompleted done = Outbox.payload(event, ReconciliationCompleted.class);
        ReportFilters day = new ReportFilters(
                done.businessDate(), done.businessDate(), done.provider(), null, null, null, null, null, null, null);
        boolean made = false;
        for (ReportFormat format : new ReportFormat[] {ReportFormat.XLSX, ReportFormat.PDF}) {
            made |= runs.requestOnce(
                            NewReportRun.of(ReportType.RECONCILIATION, format, day),
                            event.type() + ":" + event.eventId() + ":" + ReportRuns.code(format),
                            REQUESTED_BY)
                    .isPresent();
        }
        return made;
    }
}
