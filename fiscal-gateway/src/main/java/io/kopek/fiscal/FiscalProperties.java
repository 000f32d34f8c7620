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
 * @param categories what a product category's items are on a receipt (payment object, handover); a category
 *     not listed gets {@code defaults}
 * @param defaults the payment object and handover of a category not listed: a service (4) handed over at full
 *     payment, unless configured
 * @param internet whether a settlement is made over the internet (tag 1125, mandatory on such receipts since
 *     2025-09-01); {@code merchants} may say otherwise for a merchant
 * @param merchants per merchant code: whether its settlements are made over the internet
 * @param businessBankTransferReceipts whether a bank transfer by an organisation or sole proprietor gets a
 *     receipt; off, as 54-FZ art. 2 p. 9 exempts it
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
        Map<String, Category> categories,
        @DefaultValue Category defaults,
        @DefaultValue("true") boolean internet,
        Map<String, Merchant> merchants,
        @DefaultValue("false") boolean businessBankTransferReceipts,
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
        categories = categories == null ? Map.of() : Map.copyOf(categories);
        merchants = merchants == null ? Map.of() : Map.copyOf(merchants);
        categories.forEach((name, category) -> category.check("kopek.fiscal.categories." + name));
        defaults.check("kopek.fiscal.defaults");
    }

    /**
     * A category's items on a receipt.
     *
     * @param paymentObject FFD 1.2 payment object (tag 1212) as ATOL v5 accepts it: 1 commodity, 3 work, 4 service,
     *     ... (not 28 or 29)
     * @param handover when the goods or service are handed over, which decides the payment method (tag 1214)
     */
    public record Category(
            @DefaultValue("4") int paymentObject,
            @DefaultValue("at-full-payment") Handover handover) {

        void check(String at) {
            if (!PaymentObjects.accepted(paymentObject)) {
                // Fail at start-up: every receipt of the category would be refused by the operator.
                throw new IllegalArgumentException(at + ".payment-object " + paymentObject
                        + " is not a payment object ATOL Online v5 accepts (1-27, 30-33)");
            }
            if (handover == null) {
                throw new IllegalArgumentException(at + ".handover is required");
            }
        }
    }

    /** @param internet whether the merchant's settlements are made over the internet (tag 1125) */
    public record Merchant(@DefaultValue("true") boolean internet) {}

    Category category(String name) {
        return categories.getOrDefault(name, defaults);
    }

    boolean internet(String merchantCode) {
        Merchant merchant = merchantCode == null ? null : merchants.get(merchantCode);
        return merchant == null ? internet : merchant.internet();
    }
}
