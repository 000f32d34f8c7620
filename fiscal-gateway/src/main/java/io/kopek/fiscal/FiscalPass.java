package io.kopek.fiscal;

/**
 * What one pass of the pusher or the status poller did: how many receipts it took, how many moved on (accepted by
 * the operator; done), how many wait for a later attempt, and how many stopped (invalid; failed).
 */
public record FiscalPass(int taken, int succeeded, int later, int stopped) {}
