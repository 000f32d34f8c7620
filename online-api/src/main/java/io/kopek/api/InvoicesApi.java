package io.kopek.api;

import static io.kopek.api.Access.requireOwn;
import static io.kopek.api.Access.scope;

import io.kopek.billing.Invoice;
import io.kopek.billing.InvoiceFilter;
import io.kopek.billing.InvoiceStatus;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.billing.Refund;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class InvoicesApi {

    private final Invoicing invoicing;
    private final Payments payments;

    InvoicesApi(Invoicing invoicing, Payments payments) {
        this.invoicing = invoicing;
        this.payments = payments;
    }

    /**
     * A quantity is bounded by {@code Invoicing} before pricing (at most 99999999 with at most 6 decimals, as ATOL v5
     * takes it on a receipt), a 422 {@code invalid-quantity}.
     */
    record OrderItem(
            @NotNull Long productId, @NotNull @Positive BigDecimal quantity) {}

    record PlaceOrderRequest(
            Long customerId,
            @Size(max = 100) String orderRef,
            LocalDate dueDate,
            // A receipt lists at most 100 items (ATOL v5), so an invoice has at most 100 lines.
            @NotEmpty @Size(max = 100) List<@Valid OrderItem> items) {}

    /** Placing an order issues its invoice at once; the answer is the invoice. */
    @Operation(summary = "Place an order, issuing its invoice")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/orders")
    @ResponseStatus(HttpStatus.CREATED)
    Invoice place(@Valid @RequestBody PlaceOrderRequest body, @AuthenticationPrincipal ApiPrincipal caller) {
        Long customerId = caller.isCustomer() ? caller.customerId() : body.customerId();
        if (customerId == null) {
            throw KopekException.invalid("customer-required", "customer_id is required");
        }
        requireOwn(caller, customerId, "customer", customerId);
        return invoicing.place(new PlaceOrder(
                customerId,
                body.orderRef(),
                // a customer's key numbers its own orders; the staff's keys give the merchant's order ids
                caller.isCustomer() ? PlaceOrder.RefScope.CUSTOMER : PlaceOrder.RefScope.MERCHANT,
                body.dueDate(),
                body.items().stream()
                        .map(i -> new PlaceOrder.Item(i.productId(), i.quantity()))
                        .toList()));
    }

    @Operation(summary = "List invoices")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/invoices")
    Page<Invoice> list(
            @RequestParam(name = "customer_id", required = false) Long customerId,
            @RequestParam(required = false) String status,
            @RequestParam(name = "issued_from", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate issuedFrom,
            @RequestParam(name = "issued_to", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate issuedTo,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit,
            @AuthenticationPrincipal ApiPrincipal caller) {
        InvoiceStatus wanted = Access.code(status, InvoiceStatus.class, "invoice status");
        Long customer = scope(caller, customerId);
        return Page.read(
                cursor,
                limit,
                (after, n) -> invoicing.list(new InvoiceFilter(customer, wanted, issuedFrom, issuedTo, after, n)),
                Invoice::id);
    }

    @Operation(summary = "Get an invoice")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/invoices/{id}")
    Invoice get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        return visible(id, caller);
    }

    private Invoice visible(long id, ApiPrincipal caller) {
        Invoice invoice = invoicing.get(id);
        requireOwn(caller, invoice.customerId(), "invoice", id);
        return invoice;
    }

    @Operation(summary = "Cancel an invoice")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/invoices/{id}/cancel")
    Invoice cancel(@PathVariable long id) {
        return invoicing.cancel(id);
    }

    record PayInvoice(
            @NotNull @Pattern(regexp = "balance|bank_transfer", message = "must be balance or bank_transfer")
            String method,

            @NotNull @Valid MoneyJson amount,
            String reference) {}

    /** Paying from the prepaid balance (the customer or an accountant) or recording a bank transfer (accountant). */
    @Operation(summary = "Pay an invoice from the balance or record a bank transfer")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/invoices/{id}/payments")
    @ResponseStatus(HttpStatus.CREATED)
    Payment pay(
            @PathVariable long id, @Valid @RequestBody PayInvoice body, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        if (body.method().equals("bank_transfer")) {
            if (caller.isCustomer()) {
                throw new org.springframework.security.access.AccessDeniedException(
                        "customers cannot record bank transfers");
            }
            return payments.recordBankTransfer(id, body.amount().toMoney(), body.reference());
        }
        return payments.payFromBalance(id, body.amount().toMoney());
    }

    @Operation(summary = "List an invoice's payments")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/invoices/{id}/payments")
    List<Payment> payments(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        return payments.ofInvoice(id);
    }

    record RefundRequest(
            @NotNull @Valid MoneyJson amount,
            Long paymentId,
            @Size(max = 500) String reason) {}

    @Operation(summary = "Refund an invoice payment")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/invoices/{id}/refunds")
    @ResponseStatus(HttpStatus.CREATED)
    Refund refund(@PathVariable long id, @Valid @RequestBody RefundRequest body) {
        return payments.refund(id, body.paymentId(), body.amount().toMoney(), body.reason());
    }

    @Operation(summary = "List an invoice's refunds")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/invoices/{id}/refunds")
    List<Refund> refunds(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        return payments.refundsOf(id);
    }
}
