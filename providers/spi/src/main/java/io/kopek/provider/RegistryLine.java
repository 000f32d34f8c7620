package io.kopek.provider;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One operation of a settlement registry.
 *
 * @param lineNumber the physical line in the file where it starts (1 = the first line, header included) or the
 *     spreadsheet row
 * @param providerPaymentId the provider's payment id, what reconciliation matches first
 * @param orderNumber our order/invoice number when the registry carries it, else null
 * @param operation what happened
 * @param amount the operation's amount, positive
 * @param commission the provider's fee for this line as the registry states it (or derives it)
 * @param settlement what this line adds to the provider's transfer to the merchant: {@code amount - commission} for
 *     payments and captures, {@code -amount - commission} for refunds and chargebacks
 * @param operationTime when it happened, read in the provider's time zone
 * @param cardMask at most a masked card number ({@code 427600******1234}), or null
 * @param panMasked a full card number was found on this line and masked: the provider sent what it must not
 */
public record RegistryLine(
        long lineNumber,
        String providerPaymentId,
        String orderNumber,
        RegistryOperation operation,
        Money amount,
        Money commission,
        Money settlement,
        Instant operationTime,
        String cardMask,
        boolean panMasked) {

    public RegistryLine {
        Objects.requireNonNull(providerPaymentId, "providerPaymentId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(commission, "commission");
        Objects.requireNonNull(settlement, "settlement");
        Objects.requireNonNull(operationTime, "operationTime");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a registry amount is positive, the operation gives its direction");
        }
    }
}
