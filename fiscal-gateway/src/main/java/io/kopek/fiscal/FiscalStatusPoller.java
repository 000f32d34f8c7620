package io.kopek.fiscal;

import io.kopek.outbox.Outbox;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Reads the status of receipts the operator has accepted: a done one gets its fiscal attributes; a failed one
 * stops with the operator's error and a {@code fiscal.receipt_failed} alert; one still waiting is read again
 * after {@code kopek.fiscal.poll-interval}. Claims like the pusher, so it is safe to run twice at once.
 */
@Service
public class FiscalStatusPoller {

    private final Workers workers;
    private final ReceiptStore store;
    private final Outbox outbox;
    private final FiscalProperties properties;

    FiscalStatusPoller(Workers workers, ReceiptStore store, Outbox outbox, FiscalProperties properties) {
        this.workers = workers;
        this.store = store;
        this.outbox = outbox;
        this.properties = properties;
    }

    /** Reads every waiting receipt that is due. */
    public FiscalPass poll() {
        return poll(Integer.MAX_VALUE);
    }

    /** Reads at most {@code limit} of the waiting receipts that are due; run it again while it takes some. */
    public FiscalPass poll(int limit) {
        FiscalOperator operator = workers.operator();
        return workers.drain(ReceiptState.WAITING, false, limit, r -> read(operator, r));
    }

    private Workers.Outcome read(FiscalOperator operator, Receipt r) {
        OperatorReport report;
        try {
            report = operator.report(r.operatorUuid());
        } catch (RuntimeException e) {
            Instant at = workers.now().plus(workers.retryDelay(1));
            workers.transaction.executeWithoutResult(
                    s -> store.later(r.id(), ReceiptState.WAITING, at, e.getMessage()));
            return Workers.Outcome.LATER;
        }
        Instant now = workers.now();
        return switch (report.status()) {
            case DONE -> {
                workers.transaction.executeWithoutResult(s -> store.done(r.id(), report.attributes(), now));
                yield Workers.Outcome.SUCCEEDED;
            }
            case WAIT -> {
                workers.transaction.executeWithoutResult(
                        s -> store.later(r.id(), ReceiptState.WAITING, now.plus(properties.pollInterval()), null));
                yield Workers.Outcome.LATER;
            }
            case FAIL -> {
                workers.transaction.executeWithoutResult(s -> {
                    if (store.stop(r.id(), ReceiptState.WAITING, ReceiptState.FAILED, report.error())) {
                        outbox.publish(
                                new FiscalEvents.ReceiptFailed(r.id(), r.eventKey(), String.valueOf(report.error())));
                    }
                });
                yield Workers.Outcome.STOPPED;
            }
        };
    }
}
