package io.kopek.report.onec;

import java.time.LocalDate;
import java.util.List;

/**
 * A bank statement of the merchant's settlement account as 1C reads it: the period, the balances and turnover
 * ({@code opening + received - debited = closing}, checked here), and its documents. Amounts in kopecks.
 */
record Statement(
        String sender,
        LocalDate from,
        LocalDate to,
        String account,
        long opening,
        long received,
        long debited,
        long closing,
        List<Document> documents) {

    Statement {
        documents = List.copyOf(documents);
        if (Math.addExact(Math.subtractExact(opening, debited), received) != closing) {
            throw new IllegalStateException("the statement does not tie out: " + opening + " + " + received + " - "
                    + debited + " <> " + closing);
        }
    }

    /** Whoever pays or is paid by a payment order: a name and ИНН, and the account with its bank. */
    record Party(
            String name,
            String inn,
            String kpp,
            String account,
            String bankName,
            String bik,
            String correspondentAccount) {}

    /**
     * A payment order on the account: {@code incoming} when the merchant is its payee ({@code ДатаПоступило}), else
     * its payer ({@code ДатаСписано}).
     *
     * @param amount kopecks, positive
     */
    record Document(
            String number, LocalDate date, long amount, Party payer, Party payee, boolean incoming, String purpose) {

        Document {
            if (amount <= 0) {
                throw new IllegalArgumentException("a payment order is for a positive amount: " + amount);
            }
        }
    }
}
