package io.kopek.cardpayment;

import io.kopek.billing.Invoice;
import io.kopek.billing.InvoiceCancellationGuard;
import io.kopek.errors.KopekException;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * An invoice with card payments under way (written, waiting for the provider or the payer, or authorised and not
 * yet captured or voided) is not cancelled: their money would arrive for an invoice that no longer exists. The
 * start of a card payment locks the invoice too ({@code Payments.cardTerms}), so a cancel and a start never pass
 * each other.
 */
@Component
class CardPaymentsInFlight implements InvoiceCancellationGuard {

    private final CardPaymentStore store;

    CardPaymentsInFlight(CardPaymentStore store) {
        this.store = store;
    }

    @Override
    public void beforeCancel(Invoice invoice) {
        List<CardPayment> open = store.ofInvoice(invoice.id()).stream()
                .filter(p -> !p.status().isFinal())
                .toList();
        if (!open.isEmpty()) {
            throw KopekException.conflict(
                    "card-payments-in-flight",
                    "invoice " + invoice.number() + " has card payments under way ("
                            + open.stream()
                                    .map(p -> p.id() + " " + p.status().code())
                                    .collect(Collectors.joining(", "))
                            + "); cancel an authorised one or wait until they end, then cancel the invoice");
        }
    }
}
