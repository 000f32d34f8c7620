package io.kopek.billing;

import io.kopek.money.Money;
import java.math.BigDecimal;

/**
 * One priced line: {@code unitPrice} is the list price after the rule's adjustment, {@code amount} is
 * unit price times quantity rounded to the minor unit, and {@code vat} the VAT it contains at the rate in force
 * on the invoice date.
 */
public record InvoiceLine(
        int lineNo,
        long productId,
        String name,
        String category,
        BigDecimal quantity,
        Money listPrice,
        Money unitPrice,
        Money amount,
        String vatCode,
        int vatRateBp,
        Money vat,
        long ruleId) {}
