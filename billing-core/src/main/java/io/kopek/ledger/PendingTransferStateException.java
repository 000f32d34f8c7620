package io.kopek.ledger;

import java.util.UUID;

/** A pending transfer was asked to post or void after it had been resolved, or after it expired. */
public class PendingTransferStateException extends IllegalStateException {

    private final String status;

    public PendingTransferStateException(UUID id, String status) {
        super("pending transfer " + id + " is " + status);
        this.status = status;
    }

    /** {@code posted}, {@code voided} or {@code expired}. */
    public String status() {
        return status;
    }
}
