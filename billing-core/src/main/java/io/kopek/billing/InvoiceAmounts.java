package io.kopek.billing;

import io.kopek.money.Money;

/**
 * An invoice's money as it stands, without its lines: what {@link Invoicing#amounts} reads for many invoices in one
 * statement (the search index's invoice documents, a page at a time).
 */
public record InvoiceAmounts(long invoiceId, Money total, Money vatTotal, Money paid, Money refunded) {}
