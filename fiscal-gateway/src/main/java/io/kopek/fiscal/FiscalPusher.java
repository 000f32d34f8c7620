package io.kopek.fiscal;

import io.kopek.calendar.BusinessCalendar;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sends pending receipts to the fiscal operator: claims them in chunks ({@code FOR UPDATE SKIP LOCKED} and a
 * lease, so two pushers never take the same receipt), sends each chunk with bounded concurrency, and records the
 * outcome: accepted receipts wait for their status; network errors, 5xx and "repeat" answers are retried after
 * exponential backoff with jitter, for as long as it takes; a receipt the operator refuses stops as invalid with
 * the operator's message and an alert. Our receipt id is the operator's {@code external_id}, so a resend after a
 * lost answer or a crashed worker is recognised and never registers a second receipt.
 */
@Service
public class FiscalPusher {

    private static final Logger log = LoggerFactory.getLogger(FiscalPusher.class);

    private final Workers workers;
    private final ReceiptStore store;
    private final FiscalReceipts receipts;
    private final FiscalProperties properties;
    private final BusinessCalendar calendar;

    FiscalPusher(
            Workers workers,
            ReceiptStore store,
            FiscalReceipts receipts,
            FiscalProperties properties,
            BusinessCalendar calendar) {
        this.workers = workers;
        this.store = store;
        this.receipts = receipts;
        this.properties = properties;
        this.calendar = calendar;
    }

    /** Sends every pending receipt that is due; safe to run on several workers at once. */
    public FiscalPass push() {
        return push(Integer.MAX_VALUE);
    }

    /** Sends at most {@code limit} of the pending receipts that are due; run it again while it takes some. */
    public FiscalPass push(int limit) {
        FiscalOperator operator = workers.operator();
        return workers.drain(ReceiptState.PENDING, true, limit, r -> send(operator, r));
    }

    private Workers.Outcome send(FiscalOperator operator, Receipt r) {
        OperatorReceipt request = new OperatorReceipt(
                ExternalIds.current(properties, r),
                r.document(),
                LocalDateTime.ofInstant(r.createdAt(), calendar.zone()));
        try {
            Optional<Attempt> registered = registeredAfterAll(operator, r);
            registered.ifPresent(
                    a -> workers.transaction.executeWithoutResult(s -> store.externalId(r.id(), a.externalId())));
            String uuid = registered.isPresent() ? registered.get().uuid() : operator.register(request);
            Instant now = workers.now();
            workers.transaction.executeWithoutResult(
                    s -> store.accepted(r.id(), uuid, now, now.plus(properties.pollInterval())));
            return Workers.Outcome.SUCCEEDED;
        } catch (FiscalOperatorException e) {
            if (e.needsPerson()) {
                workers.transaction.executeWithoutResult(s -> receipts.fail(r, ReceiptState.PENDING, e.getMessage()));
                return Workers.Outcome.STOPPED;
            }
            if (!e.retryable()) {
                workers.transaction.executeWithoutResult(s -> {
                    if (store.stop(r.id(), ReceiptState.PENDING, ReceiptState.INVALID, e.getMessage())) {
                        receipts.alertInvalid(r.id(), r.eventKey(), e.getMessage());
                    }
                });
                return Workers.Outcome.STOPPED;
            }
            return later(r, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("sending receipt {} failed unexpectedly; it is retried", r.id(), e);
            return later(r, e.toString());
        }
    }

    private Workers.Outcome later(Receipt r, String error) {
        Instant at = workers.now().plus(workers.retryDelay(r.attempts()));
        workers.transaction.executeWithoutResult(s -> store.later(r.id(), ReceiptState.PENDING, at, error));
        return Workers.Outcome.LATER;
    }

    /**
     * An earlier attempt the operator reported failed that is registered or on its way after all: checked before
     * every resend, so one fiscal event never has two registered receipts.
     */
    private Optional<Attempt> registeredAfterAll(FiscalOperator operator, Receipt r) {
        List<String> failed = store.failedUuids(r.id());
        for (int i = 0; i < failed.size(); i++) {
            String uuid = failed.get(i);
            OperatorReport report = operator.report(uuid);
            if (report.status() == OperatorReport.Status.DONE
                    && report.total() != null
                    && report.total() != r.document().total()) {
                // Another document registered under that attempt's external id (another installation's, a restored
                // database's): not ours, so not adopted; the poller stopped the receipt for it before.
                continue;
            }
            if (report.status() != OperatorReport.Status.FAIL) {
                log.warn("receipt {}: attempt {} reported failed is registered after all; adopting it", r.id(), uuid);
                // failed attempts are kept in order: the first is the receipt's first attempt
                return Optional.of(new Attempt(uuid, ExternalIds.attempt(properties, r, i + 1)));
            }
        }
        return Optional.empty();
    }

    /** An earlier attempt at registering a receipt: the operator's id of it and the external id it was sent under. */
    private record Attempt(String uuid, String externalId) {}
}
