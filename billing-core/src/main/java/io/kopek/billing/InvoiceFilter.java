package io.kopek.billing;

import java.time.LocalDate;

/** Filters for listing invoices; null means any. {@code afterId} is the cursor. */
public record InvoiceFilter(
        Long customerId, InvoiceStatus status, LocalDate issuedFrom, LocalDate issuedTo, long afterId, int limit) {}
