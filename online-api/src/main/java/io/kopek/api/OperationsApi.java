package io.kopek.api;

import io.kopek.billing.Holds;
import io.kopek.billing.Invoicing;
import io.kopek.cardpayment.CardPayments;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.ledger.AccountBalance;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerEntryView;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The ledger, the event log, on-demand runs of the periodic jobs, and API keys. */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class OperationsApi {

    private final Ledger ledger;
    private final Outbox outbox;
    private final Holds holds;
    private final Invoicing invoicing;
    private final ApiKeys keys;
    private final CardPayments cardPayments;

    OperationsApi(
            Ledger ledger, Outbox outbox, Holds holds, Invoicing invoicing, ApiKeys keys, CardPayments cardPayments) {
        this.cardPayments = cardPayments;
        this.ledger = ledger;
        this.outbox = outbox;
        this.holds = holds;
        this.invoicing = invoicing;
        this.keys = keys;
    }

    @Operation(summary = "Get a ledger account's balance")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN})
    @GetMapping("/ledger/accounts/{code}")
    AccountBalance account(@PathVariable String code) {
        return ledger.balance(code).orElseThrow(() -> KopekException.notFound("ledger account", code));
    }

    @Operation(summary = "List a ledger account's entries")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN})
    @GetMapping("/ledger/accounts/{code}/entries")
    Page<LedgerEntryView> entries(
            @PathVariable String code,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        ledger.balance(code).orElseThrow(() -> KopekException.notFound("ledger account", code));
        return Page.read(cursor, limit, (after, n) -> ledger.entries(code, after, n), LedgerEntryView::id);
    }

    @Operation(summary = "List the event log")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/events")
    Page<OutboxEvent> events(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, outbox::after, OutboxEvent::id);
    }

    @Operation(summary = "Expire the holds that are due now")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/jobs/hold-expiry")
    Map<String, Integer> expireHolds() {
        return Map.of("expired", holds.expireDue());
    }

    /** Asks the providers about card payments whose outcome or state is still open (the batch role does it too). */
    @Operation(summary = "Ask the providers about open card payments now")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/jobs/card-payment-check")
    Map<String, Integer> checkCardPayments() {
        return Map.of("checked", cardPayments.checkDue());
    }

    @Operation(summary = "Mark the overdue invoices now")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/jobs/overdue-invoices")
    Map<String, Integer> markOverdue() {
        return Map.of("overdue", invoicing.markOverdue());
    }

    record CreateKey(
            @NotNull String role, Long customerId, @NotBlank String name) {}

    @Operation(summary = "Issue an API key")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(value = Idempotent.Mode.IN_TRANSACTION, secret = "key")
    @PostMapping("/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey issue(@Valid @RequestBody CreateKey body) {
        ApiRole role = Access.code(body.role(), ApiRole.class, "role");
        return keys.issue(role, body.customerId(), body.name());
    }

    @Operation(summary = "List the API keys")
    @Allowed(ApiRole.ADMIN)
    @GetMapping("/api-keys")
    List<Map<String, Object>> apiKeys() {
        return keys.list();
    }

    @Operation(summary = "Revoke an API key")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/api-keys/{id}/revoke")
    Map<String, Object> revoke(@PathVariable long id) {
        keys.revoke(id);
        return Map.of("id", id, "revoked", true);
    }
}
