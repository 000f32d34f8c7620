package io.kopek.ledger;

import java.util.UUID;

/** A transaction whose debits and credits differ in some currency; it is never written. */
public class UnbalancedTransactionException extends IllegalArgumentException {

    public UnbalancedTransactionException(UUID transactionId, String why) {
        super("ledger transaction " + transactionId + " is not balanced: " + why);
    }
}
