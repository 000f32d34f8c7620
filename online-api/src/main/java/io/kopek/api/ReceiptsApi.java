package io.kopek.api;

import static io.kopek.api.Access.requireOwn;

import io.kopek.billing.Invoicing;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.fiscal.FiscalReceipts;
import io.kopek.fiscal.Receipt;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fiscal receipts with their state ({@code pending}, {@code waiting}, {@code done}, {@code failed},
 * {@code invalid}), the document sent, and once done the fiscal attributes (fiscal drive, document number and
 * sign, shift, registration time, the tax service's site). Customers see their own.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class ReceiptsApi {

    private final FiscalReceipts receipts;
    private final Invoicing invoicing;

    ReceiptsApi(FiscalReceipts receipts, Invoicing invoicing) {
        this.receipts = receipts;
        this.invoicing = invoicing;
    }

    /** The receipts of an invoice: its sale, refunds and corrections, oldest first. */
    @GetMapping("/receipts")
    List<Receipt> ofInvoice(
            @RequestParam(name = "invoice_id") long invoiceId, @AuthenticationPrincipal ApiPrincipal caller) {
        requireOwn(caller, invoicing.get(invoiceId).customerId(), "invoice", invoiceId);
        return receipts.ofInvoice(invoiceId);
    }

    @GetMapping("/receipts/{id}")
    Receipt get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        Receipt receipt = receipts.find(id).orElseThrow(() -> KopekException.notFound("receipt", id));
        if (caller.isCustomer() && (receipt.customerId() == null || receipt.customerId() != caller.customerId())) {
            throw KopekException.notFound("receipt", id);
        }
        return receipt;
    }
}
