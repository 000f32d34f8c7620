package io.kopek.billing;

import io.kopek.errors.KopekException;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.ledger.PendingTransferStateException;
import io.kopek.ledger.UnknownAccountException;
import io.kopek.money.Money;
import java.util.Currency;
import java.util.UUID;
import java.util.function.Supplier;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;

/**
 * The refusals of the database functions of migration {@code V11} (holds and pending transfers), raised with
 * SQLSTATEs of our own, as the exceptions the same refusals were in Java.
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
        ServerErrorMessage error =
                e.getMostSpecificCause() instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (error == null || error.getSQLState() == null) {
            return e;
        }
        RuntimeException refusal = of(error.getSQLState(), error.getMessage(), error.getDetail());
        if (refusal instanceof IllegalArgumentException) {
            refusal.initCause(e); // a call the ledger could not make sense of: a bug, whose statement helps
        }
        return refusal == null ? e : refusal;
    }

    /**
     * The exception of a refusal the database reported with {@code state}; null for a state that is no refusal of
     * ours. Also for the refusals that a batch's function returns as items' outcomes ({@code V6.14}).
     */
    static RuntimeException of(String state, String message, String detail) {
        return switch (state) {
            case "KL001" -> {
                String[] parts = detail.split(" ", 4); // available, requested, currency, account code
                Currency currency = Currency.getInstance(parts[2]);
                yield new InsufficientFundsException(
                        parts[3],
                        new Money(Long.parseLong(parts[0]), currency),
                        new Money(Long.parseLong(parts[1]), currency));
            }
            case "KL002" -> new UnknownAccountException(detail);
            case "KL003" -> {
                String[] parts = detail.split(" ", 2); // status, transfer id
                yield new PendingTransferStateException(UUID.fromString(parts[1]), parts[0]);
            }
            case "KL004" -> new IllegalArgumentException(message);
            case "KB404" -> new KopekException(KopekException.Kind.NOT_FOUND, detail, message);
            case "KB409" -> new KopekException(KopekException.Kind.CONFLICT, detail, message);
            case "KB422" -> new KopekException(KopekException.Kind.INVALID, detail, message);
            default -> null;
        };
    }
}
