package io.kopek.fiscal;

import java.time.LocalDate;
import java.util.List;

/**
 * A correction receipt to make good a sale whose receipt was wrong or missing. {@code key} identifies the
 * correction (one receipt per key, e.g. the act or instruction number); {@code vatDate} is the day whose VAT rates
 * the items carry (the day of the original sale).
 */
public record Correction(
        String key,
        long customerId,
        Long invoiceId,
        List<ReceiptDocument.Item> items,
        List<ReceiptDocument.Payment> payments,
        LocalDate vatDate,
        ReceiptDocument.CorrectionBasis basis) {}
