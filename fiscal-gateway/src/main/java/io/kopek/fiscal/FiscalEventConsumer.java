package io.kopek.fiscal;

import io.kopek.fiscal.ReceiptStore.NewReceipt;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns domain events from the transactional outbox into receipts: {@code payment.succeeded} (an invoice paid by
 * card, bank or from the balance), {@code balance.topped_up} and {@code refund.succeeded}. The consumer's position
 * and the receipts it creates commit in one transaction, and each receipt's event key is unique, so a pass that
 * dies, or runs twice, never loses or doubles a receipt.
 */
@Service
public class FiscalEventConsumer {

    static final String CONSUMER = "fiscal-receipts";
    private static final Logger log = LoggerFactory.getLogger(FiscalEventConsumer.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ReceiptDrafts drafts;
    private final FiscalReceipts receipts;
    private final FiscalProperties properties;
    private final TransactionTemplate perEvent;

    FiscalEventConsumer(
            JdbcClient jdbc,
            Outbox outbox,
            ReceiptDrafts drafts,
            FiscalReceipts receipts,
            FiscalProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.perEvent = new TransactionTemplate(transactions);
        this.perEvent.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.outbox = outbox;
        this.drafts = drafts;
        this.receipts = receipts;
        this.properties = properties;
    }

    /** What one pass did: how many events it consumed and how many receipts they made. */
    public record Pass(int events, int receipts) {}

    /**
     * One pass over the events after the consumer's position (at most {@code kopek.fiscal.outbox-batch}).
     * Concurrent passes queue on the position's row lock. Run it again while it consumes a full batch.
     */
    @Transactional
    public Pass poll() {
        long position = jdbc.sql("select last_event_id from outbox_consumer where consumer = ? for update")
                .param(CONSUMER)
                .query(Long.class)
                .single();
        Instant settled = jdbc.sql("select clock_timestamp()")
                .query(Timestamp.class)
                .single()
                .toInstant()
                .minus(properties.outboxSettle());
        List<OutboxEvent> events = outbox.after(position, properties.outboxBatch());
        long last = position;
        int created = 0;
        int consumed = 0;
        for (OutboxEvent event : events) {
            if (event.occurredAt().isAfter(settled)) {
                break; // a younger event waits for the next pass, with any that commit late before it
            }
            if (receipt(event).isPresent()) {
                created++;
            }
            last = event.id();
            consumed++;
        }
        if (last != position) {
            jdbc.sql("update outbox_consumer set last_event_id = ? where consumer = ?")
                    .params(last, CONSUMER)
                    .update();
        }
        return new Pass(consumed, created);
    }

    /** Each event in a savepoint: one that cannot be made into a receipt leaves an invalid one and an alert. */
    private Optional<Long> receipt(OutboxEvent event) {
        try {
            return perEvent.execute(status -> drafts.forEvent(event).flatMap(receipts::save));
        } catch (RuntimeException e) {
            log.warn("cannot build the receipt of outbox event {} ({})", event.id(), event.type(), e);
            return receipts.save(unbuildable(event, e));
        }
    }

    private static NewReceipt unbuildable(OutboxEvent event, RuntimeException e) {
        boolean refund = event.type().startsWith("refund.");
        String key =
                refund ? "refund:" + event.aggregateId() + ":sell_refund" : "payment:" + event.aggregateId() + ":sell";
        ReceiptDocument empty = new ReceiptDocument(
                refund ? ReceiptKind.SELL_REFUND : ReceiptKind.SELL,
                null,
                null,
                List.of(),
                List.of(),
                0,
                "RUB",
                null,
                null);
        return new NewReceipt(key, empty, null, null, null, null, 0, "cannot build the receipt: " + e.getMessage());
    }
}
