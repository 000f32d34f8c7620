package io.kopek.fiscal;

import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Reads the status of receipts the operator has accepted: a done one gets its fiscal attributes (and a
 * {@code fiscal.receipt_done} event), unless the operator's
 * total says it is not our document; one the operator failed for its own reasons (its queue timed out) goes back to
 * pending under a new external id (the pusher checks the failed attempt again before the resend); any other failure,
 * or a report kept no longer (ATOL error 30), stops with a {@code fiscal.receipt_failed} alert; one still waiting is
 * read again after {@code kopek.fiscal.poll-interval}. Claims like the pusher, so it is safe to run twice at once.
 */
@Service
public class FiscalStatusPoller {

    /** How many times a receipt is sent again under a new external id after the operator's own failures. */
    static final int MAX_RESENDS = 5;

    private final Workers workers;
    private final ReceiptStore store;
    private final FiscalReceipts receipts;
    private final FiscalProperties properties;

    FiscalStatusPoller(Workers workers, ReceiptStore store, FiscalReceipts receipts, FiscalProperties properties) {
        this.workers = workers;
        this.store = store;
        this.receipts = receipts;
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
        } catch (FiscalOperatorException e) {
            if (e.needsPerson()) {
                workers.transaction.executeWithoutResult(s -> receipts.fail(r, ReceiptState.WAITING, e.getMessage()));
                return Workers.Outcome.STOPPED;
            }
            return later(r, e);
        } catch (RuntimeException e) {
            return later(r, e);
        }
        Instant now = workers.now();
        return switch (report.status()) {
            case DONE -> {
                if (report.total() != null && report.total() != r.document().total()) {
                    // Registered under our external_id, but not our document: another installation's or a restored
                    // database's receipt. Ours is not registered; adopting theirs would hide that.
                    String reason = "the operator's receipt " + r.operatorUuid() + " under external_id "
                            + ExternalIds.current(properties, r) + " is not this one: its total is "
                            + ReceiptValidation.kopecks(report.total()) + ", ours "
                            + ReceiptValidation.kopecks(r.document().total());
                    workers.transaction.executeWithoutResult(s -> receipts.fail(r, ReceiptState.WAITING, reason));
                    yield Workers.Outcome.STOPPED;
                }
                workers.transaction.executeWithoutResult(s -> receipts.done(r, report.attributes(), now));
                yield Workers.Outcome.SUCCEEDED;
            }
            case WAIT -> {
                workers.transaction.executeWithoutResult(
                        s -> store.later(r.id(), ReceiptState.WAITING, now.plus(properties.pollInterval()), null));
                yield Workers.Outcome.LATER;
            }
            case FAIL -> {
                if (report.resendable() && r.resends() < MAX_RESENDS) {
                    String again = ExternalIds.attempt(properties, r, r.resends() + 2);
                    workers.transaction.executeWithoutResult(
                            s -> store.resend(r.id(), r.operatorUuid(), again, now, report.error()));
                    yield Workers.Outcome.LATER;
                }
                workers.transaction.executeWithoutResult(
                        s -> receipts.fail(r, ReceiptState.WAITING, String.valueOf(report.error())));
                yield Workers.Outcome.STOPPED;
            }
        };
    }

    private Workers.Outcome later(Receipt r, RuntimeException e) {
        Instant at = workers.now().plus(workers.retryDelay(1));
        workers.transaction.executeWithoutResult(s -> store.later(r.id(), ReceiptState.WAITING, at, e.getMessage()));
        return Workers.Outcome.LATER;
    }
}
