package io.kopek.fiscal;

import io.kopek.fiscal.ReceiptStore.NewReceipt;
import io.kopek.outbox.OutboxConsumer;
import io.kopek.outbox.OutboxEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Turns domain events from the transactional outbox into receipts: {@code payment.succeeded} (an invoice paid by
 * card, bank or from the balance), {@code balance.topped_up}, {@code refund.succeeded} and {@code balance.refunded}. The consumer's position
 * and the receipts it creates commit in one transaction, and each receipt's event key is unique, so a pass that
 * dies, or runs twice, never loses or doubles a receipt.
 */
@Service
public class FiscalEventConsumer {

    static final String CONSUMER = "fiscal-receipts";
    private static final Logger log = LoggerFactory.getLogger(FiscalEventConsumer.class);

    private final OutboxConsumer consumer;
    private final ReceiptDrafts drafts;
    private final FiscalReceipts receipts;
    private final FiscalProperties properties;

    FiscalEventConsumer(
            OutboxConsumer consumer, ReceiptDrafts drafts, FiscalReceipts receipts, FiscalProperties properties) {
        this.consumer = consumer;
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
    public Pass poll() {
        OutboxConsumer.Pass pass = consumer.poll(
                new OutboxConsumer.Subscription(CONSUMER, properties.outboxBatch(), properties.outboxSettle()),
                new OutboxConsumer.Handler() {
                    @Override
                    public boolean handle(OutboxEvent event) {
                        return drafts.forEvent(event).flatMap(receipts::save).isPresent();
                    }

                    /** An event that cannot be made into a receipt leaves an invalid one and an alert. */
                    @Override
                    public boolean failed(OutboxEvent event, RuntimeException cause) {
                        log.warn("cannot build the receipt of outbox event {} ({})", event.id(), event.type(), cause);
                        return receipts.save(unbuildable(event, cause)).isPresent();
                    }
                });
        return new Pass(pass.events(), pass.made());
    }

    private static NewReceipt unbuildable(OutboxEvent event, RuntimeException e) {
        boolean refund = event.type().startsWith("refund.") || event.type().equals("balance.refunded");
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
                null,
                false);
        return new NewReceipt(
                key, empty, null, null, null, null, null, "cannot build the receipt: " + e.getMessage(), null);
    }
}
