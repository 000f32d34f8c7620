/**
 * 54-FZ fiscal receipts (FFD 1.2). Domain events from the outbox become receipts ({@link
 * io.kopek.fiscal.FiscalEventConsumer}), validated to the kopeck before they may leave ({@link
 * io.kopek.fiscal.FiscalReceipts}); the {@link io.kopek.fiscal.FiscalPusher} sends them to a {@link
 * io.kopek.fiscal.FiscalOperator} and the {@link io.kopek.fiscal.FiscalStatusPoller} stores their fiscal attributes;
 * the {@link io.kopek.fiscal.UnfiscalizedCheck} raises an alert for any payment or refund left without one. ATOL
 * Online v5 is in {@code io.kopek.fiscal.atol}.
 */
package io.kopek.fiscal;
