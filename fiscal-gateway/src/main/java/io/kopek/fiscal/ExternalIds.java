package io.kopek.fiscal;

/**
 * A receipt's key at the operator ({@code external_id}): the configured prefix, this installation's id and the
 * receipt's id; after the operator failed an attempt for its own reasons, the same with {@code -2}, {@code -3}, ...
 * Receipts made before installation ids had the prefix and the receipt's id, kept when none is stored.
 */
final class ExternalIds {

    private ExternalIds() {}

    /** A new receipt's key. */
    static String of(FiscalProperties properties, String installation, long receiptId) {
        return properties.externalIdPrefix() + installation + "-" + receiptId;
    }

    /** The key the receipt is sent under now. */
    static String current(FiscalProperties properties, Receipt r) {
        return r.externalId() != null ? r.externalId() : properties.externalIdPrefix() + r.id();
    }

    /** The key of the receipt's {@code n}-th attempt: the first has no suffix, the next ones {@code -2}, {@code -3}. */
    static String attempt(FiscalProperties properties, Receipt r, int n) {
        String current = current(properties, r);
        String base = r.resends() == 0 ? current : current.substring(0, current.lastIndexOf('-'));
        return n == 1 ? base : base + "-" + n;
    }
}
