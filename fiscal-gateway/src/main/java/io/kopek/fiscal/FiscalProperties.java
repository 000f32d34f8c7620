package io.kopek.fiscal;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.fiscal.*}: the seller on every receipt, what receipts are made of, and how they are sent.
 *
 * @param company the seller: INN, tax system ({@code osn}, {@code usn_income}, ...), e-mail, payment address (the
 *     shop's site for sales over the internet)
 * @param operator the id of the {@link FiscalOperator} that registers receipts ({@code atol})
 * @param externalIdPrefix put before our receipt id to make the operator's {@code external_id}; one per
 *     installation sharing an operator group
 * @param advanceItemName the item name of a balance top-up receipt
 * @param advanceVat the VAT table code (standard, reduced, none, ...) of top-ups, at the rate in force that day
 * @param paymentObjects FFD 1.2 payment object code (tag 1212) per product category; others get
 *     {@code defaultPaymentObject}
 * @param defaultPaymentObject 4 (service) unless configured: 1 commodity, 3 work, 4 service, ...
 * @param batchSize how many receipts one worker claims at a time
 * @param concurrency how many requests to the operator one worker has in flight
 * @param lease how long a claimed receipt is left to its worker; after that another one may take it over
 * @param retryInitial the first pause after a network error, 5xx or "repeat" answer; doubled per attempt
 * @param retryMax the longest pause between attempts; retries never stop, so no receipt is lost
 * @param pollInterval how long after sending (and between reports) a waiting receipt's status is read
 * @param outboxBatch how many outbox events one pass of the consumer reads
 * @param outboxSettle events younger than this are left for the next pass, so that a transaction committing
 *     late with a lower event id is not skipped
 * @param unfiscalizedGrace how long a payment or refund may go without a done receipt before the daily check
 *     reports it
 * @param unfiscalizedLookback how far back the daily check looks (beyond the grace period)
 */
@ConfigurationProperties("kopek.fiscal")
public record FiscalProperties(
        ReceiptDocument.Company company,
        @DefaultValue("atol") String operator,
        @DefaultValue("kopek-") String externalIdPrefix,
        @DefaultValue("Аванс (пополнение баланса)") String advanceItemName,
        @DefaultValue("standard") String advanceVat,
        Map<String, Integer> paymentObjects,
        @DefaultValue("4") int defaultPaymentObject,
        @DefaultValue("100") int batchSize,
        @DefaultValue("16") int concurrency,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("5s") Duration retryInitial,
        @DefaultValue("10m") Duration retryMax,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("500") int outboxBatch,
        @DefaultValue("2s") Duration outboxSettle,
        @DefaultValue("1h") Duration unfiscalizedGrace,
        @DefaultValue("2d") Duration unfiscalizedLookback) {

    public FiscalProperties {
        paymentObjects = paymentObjects == null ? Map.of() : Map.copyOf(paymentObjects);
    }

    int paymentObjectOf(String category) {
        return paymentObjects.getOrDefault(category, defaultPaymentObject);
    }
}
