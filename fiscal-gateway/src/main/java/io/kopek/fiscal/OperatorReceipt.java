package io.kopek.fiscal;

import java.time.LocalDateTime;

/** A receipt as handed to an operator: our id for it, the document, and its date and time in the business zone. */
public record OperatorReceipt(String externalId, ReceiptDocument document, LocalDateTime timestamp) {}
