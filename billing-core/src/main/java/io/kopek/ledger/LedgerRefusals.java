package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.Currency;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;

/**
 * The ledger's database functions ({@code ledger_post}, {@code ledger_reserve}, {@code ledger_post_pending},
 * {@code ledger_void_pending}) refuse with SQLSTATEs of their own; these are the exceptions they stand for.
 */
public final class LedgerRefusals {

    private LedgerRefusals() {}

    /** The server's error of a failed call, when it has one. */
    public static ServerErrorMessage serverError(DataAccessException e) {
        return e.getMostSpecificCause() instanceof PSQLException p ? p.getServerErrorMessage() : null;
    }

    /** The ledger's refusal {@code e} stands for, or null when it is none (not a KL SQLSTATE). */
    public static RuntimeException translate(DataAccessException e) {
        ServerErrorMessage error = serverError(e);
        if (error == null || error.getSQLState() == null) {
            return null;
        }
        String detail = error.getDetail();
        return switch (error.getSQLState()) {
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
            case "KL004" -> new IllegalArgumentException(error.getMessage(), e);
            default -> null;
        };
    }
}
