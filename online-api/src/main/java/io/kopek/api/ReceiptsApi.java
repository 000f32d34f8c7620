package io.kopek.api;

import static io.kopek.api.Access.requireOwn;

import io.kopek.billing.Invoicing;
import io.kopek.customer.Customers;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.fiscal.Correction;
import io.kopek.fiscal.FiscalReceipts;
import io.kopek.fiscal.PaymentMethod;
import io.kopek.fiscal.Receipt;
import io.kopek.fiscal.ReceiptDocument;
import io.kopek.fiscal.VatType;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
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
    private final Customers customers;

    ReceiptsApi(FiscalReceipts receipts, Invoicing invoicing, Customers customers) {
        this.receipts = receipts;
        this.invoicing = invoicing;
        this.customers = customers;
    }

    /** The receipts of an invoice: its sale, refunds and corrections, oldest first. */
    @Operation(summary = "List an invoice's fiscal receipts")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN})
    @GetMapping("/receipts")
    List<Receipt> ofInvoice(
            @RequestParam(name = "invoice_id") long invoiceId, @AuthenticationPrincipal ApiPrincipal caller) {
        requireOwn(caller, invoicing.get(invoiceId).customerId(), "invoice", invoiceId);
        return receipts.ofInvoice(invoiceId);
    }

    @Operation(summary = "Get a fiscal receipt")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN})
    @GetMapping("/receipts/{id}")
    Receipt get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        Receipt receipt = receipts.find(id).orElseThrow(() -> KopekException.notFound("receipt", id));
        if (caller.isCustomer() && (receipt.customerId() == null || receipt.customerId() != caller.customerId())) {
            throw KopekException.notFound("receipt", id);
        }
        return receipt;
    }

    record Resend(@Size(max = 1000) String reason) {}

    /**
     * Puts a failed receipt back into the push queue, so the fiscal operator gets it again: under a new external id
     * when the operator had accepted the failed attempt (checked again before the send: one registered after all is
     * adopted, never a second registration), under the same one when it never had. Refused (409
     * {@code receipt-not-failed}) for a receipt in any other state. Who asked, and why, is kept with the receipt.
     */
    @Operation(summary = "Send a failed receipt again")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/receipts/{id}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Receipt resend(
            @PathVariable long id,
            @Valid @RequestBody(required = false) Resend body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        String reason = body == null || body.reason() == null || body.reason().isBlank()
                ? null
                : body.reason().strip();
        return receipts.resend(id, caller.actor(), reason);
    }

    record CorrectionItem(
            @NotBlank @Size(max = 128) String name,
            @Positive long price,
            @NotNull @Positive BigDecimal quantity,
            @NotBlank String paymentMethod,
            @NotNull @Min(1) @Max(33) Integer paymentObject,
            @NotBlank String vat) {}

    record CorrectionPayment(
            @Min(0) @Max(4) int type, @Positive long sum) {}

    record CorrectionBasis(
            @NotNull @Pattern(regexp = "self|instruction") String type,
            @NotNull LocalDate baseDate,
            @Size(max = 64) String baseNumber) {}

    record CorrectionRequest(
            @NotBlank @Size(max = 100) String key,
            @NotNull Long customerId,
            Long invoiceId,
            @NotEmpty @Size(max = 100) List<@Valid CorrectionItem> items,
            @NotEmpty List<@Valid CorrectionPayment> payments,
            @NotNull LocalDate vatDate,
            @NotNull @Valid CorrectionBasis basis) {}

    /**
     * A correction receipt (sell_correction) for a sale whose receipt was wrong or missing; one per {@code key}
     * (the act or instruction number): sent again, the first is returned. Checked to the kopeck like every
     * receipt before it leaves; one that fails is kept {@code invalid} with the reason and an alert.
     */
    @Operation(summary = "Issue a correction receipt")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/receipts/corrections")
    @ResponseStatus(HttpStatus.CREATED)
    Receipt correct(@Valid @RequestBody CorrectionRequest body) {
        customers.get(body.customerId());
        List<ReceiptDocument.Item> items = body.items().stream()
                .map(i -> ReceiptDocument.Item.priced(
                        i.name(),
                        i.price(),
                        i.quantity(),
                        ReceiptDocument.MEASURE_PIECE,
                        code(() -> PaymentMethod.of(i.paymentMethod()), "payment method", i.paymentMethod()),
                        i.paymentObject(),
                        code(() -> VatType.of(i.vat()), "vat", i.vat())))
                .toList();
        return receipts.correct(new Correction(
                body.key(),
                body.customerId(),
                body.invoiceId(),
                items,
                body.payments().stream()
                        .map(p -> new ReceiptDocument.Payment(p.type(), p.sum()))
                        .toList(),
                body.vatDate(),
                new ReceiptDocument.CorrectionBasis(
                        body.basis().type(),
                        body.basis().baseDate(),
                        body.basis().baseNumber())));
    }

    private static <T> T code(java.util.function.Supplier<T> parse, String what, String value) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw KopekException.invalid("invalid-" + what.replace(' ', '-'), "unknown " + what + " " + value);
        }
    }
}
