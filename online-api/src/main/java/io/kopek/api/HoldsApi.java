package io.kopek.api;

import static io.kopek.api.Access.requireOwn;
import static io.kopek.api.Access.scope;

import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.billing.Invoicing;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
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
@RequestMapping("/api/v1/holds")
class HoldsApi {

    private final Holds holds;
    private final Invoicing invoicing;

    HoldsApi(Holds holds, Invoicing invoicing) {
        this.holds = holds;
        this.invoicing = invoicing;
    }

    record PlaceHold(
            @NotNull Long invoiceId,
            @Valid MoneyJson amount,
            @Min(1) @Max(MAX_LIFETIME_SECONDS) Integer lifetimeSeconds) {

        /** A week: the longest any rule may let a hold live is the rule's to say, within this. */
        static final int MAX_LIFETIME_SECONDS = 604800;

        /** What its annotations ask, checked without bean validation's reflection (for {@link HoldsLeanPath}). */
        boolean valid() {
            return invoiceId != null
                    && MoneyJson.valid(amount)
                    && (lifetimeSeconds == null || (lifetimeSeconds >= 1 && lifetimeSeconds <= MAX_LIFETIME_SECONDS));
        }

        /** The hold as billing places it: a customer's key may place holds on its own invoices only. */
        Holds.Placement placement(ApiPrincipal caller) {
            return new Holds.Placement(
                    invoiceId,
                    MoneyJson.orNull(amount),
                    lifetimeSeconds == null ? null : Duration.ofSeconds(lifetimeSeconds),
                    caller.isCustomer() ? caller.customerId() : null);
        }
    }

    @Operation(summary = "Hold money on the customer's balance for an invoice")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Hold place(@Valid @RequestBody PlaceHold body, @AuthenticationPrincipal ApiPrincipal caller) {
        if (caller.isCustomer()) {
            requireOwn(caller, invoicing.get(body.invoiceId()).customerId(), "invoice", body.invoiceId());
        }
        return holds.place(
                body.invoiceId(),
                MoneyJson.orNull(body.amount()),
                body.lifetimeSeconds() == null ? null : Duration.ofSeconds(body.lifetimeSeconds()));
    }

    @Operation(summary = "List holds")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    Page<Hold> list(
            @RequestParam(name = "customer_id", required = false) Long customerId,
            @RequestParam(name = "invoice_id", required = false) Long invoiceId,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit,
            @AuthenticationPrincipal ApiPrincipal caller) {
        Hold.Status wanted = Access.code(status, Hold.Status.class, "hold status");
        Long customer = scope(caller, customerId);
        return Page.read(cursor, limit, (after, n) -> holds.list(customer, invoiceId, wanted, after, n), Hold::id);
    }

    @Operation(summary = "Get a hold")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/{id}")
    Hold get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        return visible(id, caller);
    }

    private Hold visible(long id, ApiPrincipal caller) {
        Hold hold = holds.get(id);
        requireOwn(caller, hold.customerId(), "hold", id);
        return hold;
    }

    @Schema(name = "CaptureHold")
    record Capture(@Valid MoneyJson amount) {

        /** What its annotations ask, checked without bean validation's reflection (for {@link HoldsLeanPath}). */
        boolean valid() {
            return MoneyJson.valid(amount);
        }

        /** The capture of hold {@code id} as billing takes it. */
        Holds.Capture of(long id) {
            return new Holds.Capture(id, MoneyJson.orNull(amount));
        }
    }

    /** Captures all of the hold, or {@code amount} of it; the rest is released. */
    @Operation(summary = "Capture a hold, in full or in part")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/capture")
    Hold capture(@PathVariable long id, @Valid @RequestBody(required = false) Capture body) {
        return holds.captureOnTheBalance(id, body == null ? null : MoneyJson.orNull(body.amount()));
    }

    @Operation(summary = "Release a hold")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/release")
    Hold release(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        visible(id, caller);
        return holds.releaseOnTheBalance(id);
    }
}
