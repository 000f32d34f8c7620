package io.kopek.ledger;

/** Debit or credit. An account's normal side is the one that increases its balance. */
public enum Side {
    DEBIT('D'),
    CREDIT('C');

    private final char code;

    Side(char code) {
        this.code = code;
    }

    char code() {
        return code;
    }

    Side opposite() {
        return this == DEBIT ? CREDIT : DEBIT;
    }

    static Side of(char code) {
        return switch (code) {
            case 'D' -> DEBIT;
            case 'C' -> CREDIT;
            default -> throw new IllegalArgumentException("unknown side " + code);
        };
    }
}
