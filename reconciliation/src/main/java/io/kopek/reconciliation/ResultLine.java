package io.kopek.reconciliation;

/**
 * One result of a run: a registry line ({@code fileId}, {@code lineNo}) or a ledger operation ({@code paymentId},
 * {@code refundId}), or both when a key ({@code matchKey}) paired them, with the amounts on each side, the
 * commissions, and why. Amounts in minor units of {@code currency}.
 */
public record ResultLine(
        long runId,
        ResultClass result,
        Long fileId,
        Integer lineNo,
        Long paymentId,
        Long refundId,
        String operation,
        String providerPaymentId,
        String matchKey,
        Long registryAmount,
        Long ledgerAmount,
        Long registryCommission,
        Long expectedCommission,
        String currency,
        String why) {}
