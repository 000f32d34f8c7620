package io.kopek.billing;

import io.kopek.errors.KopekException;
import io.kopek.ledger.LedgerRefusals;
import java.util.function.Supplier;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;

/**
 * The refusals of the database functions of migrations {@code V11} and {@code V12} (holds, pending transfers and
 * postings), raised with SQLSTATEs of our own, as exceptions: the ledger's through {@link LedgerRefusals}, the
 * domain's as {@link KopekException}s.
 */
final class Refusals {

    private Refusals() {}

    /** Runs one call of a database function, turning its refusals into exceptions. */
    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (DataAccessException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(DataAccessException e) {
        RuntimeException ledger = LedgerRefusals.translate(e);
        if (ledger != null) {
            return ledger;
        }
        ServerErrorMessage error = LedgerRefusals.serverError(e);
        if (error == null || error.getSQLState() == null) {
            return e;
        }
        String message = error.getMessage();
        String detail = error.getDetail();
        return switch (error.getSQLState()) {
            case "KB404" -> new KopekException(KopekException.Kind.NOT_FOUND, detail, message);
            case "KB409" -> new KopekException(KopekException.Kind.CONFLICT, detail, message);
            case "KB422" -> new KopekException(KopekException.Kind.INVALID, detail, message);
            default -> e;
        };
    }
}
