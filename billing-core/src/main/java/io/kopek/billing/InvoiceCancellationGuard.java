package io.kopek.billing;

/**
 * What another module knows that forbids cancelling an invoice, asked by {@link Invoicing#cancel} under the
 * invoice's row lock (card payments still under way, which would otherwise turn into money for an invoice that
 * no longer exists). A guard refuses by throwing; one that lets the cancel go returns.
 */
public interface InvoiceCancellationGuard {

    void beforeCancel(Invoice invoice);
}
