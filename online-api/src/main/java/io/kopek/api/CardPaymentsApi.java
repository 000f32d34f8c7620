package io.kopek.api;

import static io.kopek.api.Access.requireOwn;

import io.kopek.billing.Invoicing;
import io.kopek.cardpayment.CardPayment;
import io.kopek.cardpayment.CardPayments;
import io.kopek.cardpayment.CardRefund;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Paying invoices by card. A card payment answers 201 once the provider has it (usually {@code pending}, with the
 * URL to send the payer to) and 202 when the provider's answer is not known yet: Kopek finds out and the
 * payment's state follows; repeat the request with the same {@code Idempotency-Key} or read it to see.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class CardPaymentsApi {

    private final CardPayments cardPayments;
    private final Invoicing invoicing;

    CardPaymentsApi(CardPayments cardPayments, Invoicing invoicing) {
        this.cardPayments = cardPayments;
        this.invoicing = invoicing;
    }

    record StartCardPayment(
            @Valid MoneyJson amount,

            @Size(max = 2000) @Pattern(regexp = "https?://.+", message = "must be an http(s) URL")
            String returnUrl) {}

    @Operation(summary = "Pay an invoice by card")
    @ApiResponse(
            responseCode = "201",
            description = "The provider has the payment: usually pending, with the URL to send the payer to")
    @ApiResponse(
            responseCode = "202",
            description =
                    "The provider's answer is not known yet: repeat the request with the same Idempotency-Key, or read the payment")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/invoices/{id}/card-payments")
    ResponseEntity<CardPayment> start(
            @PathVariable long id,
            @Valid @RequestBody(required = false) StartCardPayment body,
            @AuthenticationPrincipal ApiPrincipal caller,
            HttpServletRequest request) {
        requireOwn(caller, invoicing.get(id).customerId(), "invoice", id);
        StartCardPayment start = body == null ? new StartCardPayment(null, null) : body;
        CardPayment payment = cardPayments.start(
                id, MoneyJson.orNull(start.amount()), start.returnUrl(), Idempotency.requestKey(caller, request));
        return ResponseEntity.status(
                        payment.status() == CardPayment.Status.UNKNOWN
                                        || payment.status() == CardPayment.Status.CREATING
                                ? HttpStatus.ACCEPTED
                                : HttpStatus.CREATED)
                .body(payment);
    }

    @Operation(summary = "List an invoice's card payments")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/invoices/{id}/card-payments")
    List<CardPayment> ofInvoice(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        requireOwn(caller, invoicing.get(id).customerId(), "invoice", id);
        return cardPayments.ofInvoice(id);
    }

    @Operation(summary = "Get a card payment")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/card-payments/{id}")
    CardPayment get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        return visible(id, caller);
    }

    @Schema(name = "CaptureCardPayment")
    record Capture(@Valid MoneyJson amount) {}

    /** Captures a card hold, all of it or {@code amount}; 202 while the provider's answer is not known. */
    @Operation(summary = "Capture a card hold, in full or in part")
    @ApiResponse(responseCode = "200", description = "Captured")
    @ApiResponse(
            responseCode = "202",
            description =
                    "The provider's answer is not known yet: repeat the request with the same Idempotency-Key, or read the payment")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/card-payments/{id}/capture")
    ResponseEntity<CardPayment> capture(@PathVariable long id, @Valid @RequestBody(required = false) Capture body) {
        return answer(cardPayments.capture(id, body == null ? null : MoneyJson.orNull(body.amount())));
    }

    @Operation(summary = "Cancel a card payment or void its hold")
    @ApiResponse(responseCode = "200", description = "Cancelled, or its hold voided")
    @ApiResponse(
            responseCode = "202",
            description =
                    "The provider's answer is not known yet: repeat the request with the same Idempotency-Key, or read the payment")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/card-payments/{id}/cancel")
    ResponseEntity<CardPayment> cancel(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        return answer(cardPayments.cancel(id));
    }

    private static ResponseEntity<CardPayment> answer(CardPayment payment) {
        return ResponseEntity.status(payment.pendingOperation() == null ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(payment);
    }

    record RefundCardPayment(
            @NotNull @Valid MoneyJson amount,
            @Size(max = 500) String reason) {}

    @Operation(summary = "Refund a card payment to the card")
    @ApiResponse(responseCode = "201", description = "Refunded")
    @ApiResponse(responseCode = "202", description = "The refund is under way at the provider")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/card-payments/{id}/refunds")
    ResponseEntity<CardRefund> refund(
            @PathVariable long id,
            @Valid @RequestBody RefundCardPayment body,
            @AuthenticationPrincipal ApiPrincipal caller,
            HttpServletRequest request) {
        CardRefund refund = cardPayments.refund(
                id, body.amount().toMoney(), body.reason(), Idempotency.requestKey(caller, request));
        return ResponseEntity.status(
                        refund.status() == CardRefund.Status.SUCCEEDED ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                .body(refund);
    }

    @Operation(summary = "List a card payment's refunds")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/card-payments/{id}/refunds")
    List<CardRefund> refunds(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        return cardPayments.refundsOf(id);
    }

    private CardPayment visible(long id, ApiPrincipal caller) {
        CardPayment payment = cardPayments.get(id);
        requireOwn(caller, payment.customerId(), "card payment", id);
        return payment;
    }
}
