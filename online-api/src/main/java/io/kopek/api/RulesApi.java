package io.kopek.api;

import io.kopek.billing.Bounds;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.pricing.BillingRule;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
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
class RulesApi {

    private final Pricing pricing;

    RulesApi(Pricing pricing) {
        this.pricing = pricing;
    }

    record CreateRule(
            @NotBlank String category,
            @NotBlank String customerType,
            @NotNull LocalDate validFrom,
            LocalDate validTo,
            @Min(-9999) @Max(100000) Integer priceAdjustmentBp,
            @PositiveOrZero Integer commissionBp,
            @PositiveOrZero @Max(Bounds.MAX_AMOUNT) Long commissionFixed,
            @NotBlank String vatCode,
            Boolean holdFirst,
            @Min(1) @Max(604800) Integer holdLifetimeSeconds,
            @NotEmpty List<String> paymentMethods,
            List<String> providers,
            @PositiveOrZero @Max(Bounds.MAX_AMOUNT) Long creditLimit) {}

    @Operation(summary = "Create a billing rule")
    @Allowed({ApiRole.FINANCE, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/rules")
    @ResponseStatus(HttpStatus.CREATED)
    BillingRule create(@Valid @RequestBody CreateRule r) {
        return pricing.create(new NewBillingRule(
                r.category(),
                r.customerType(),
                r.validFrom(),
                r.validTo(),
                r.priceAdjustmentBp() == null ? 0 : r.priceAdjustmentBp(),
                r.commissionBp() == null ? 0 : r.commissionBp(),
                r.commissionFixed() == null ? 0 : r.commissionFixed(),
                r.vatCode(),
                Boolean.TRUE.equals(r.holdFirst()),
                r.holdLifetimeSeconds(),
                r.paymentMethods(),
                r.providers() == null ? List.of() : r.providers(),
                r.creditLimit() == null ? 0 : r.creditLimit()));
    }

    record CloseRule(@NotNull LocalDate lastDay) {}

    /** Ends a rule; a change of terms is a closed rule plus a new one from the next day. */
    @Operation(summary = "Close a billing rule")
    @Allowed({ApiRole.FINANCE, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/rules/{id}/close")
    BillingRule close(@PathVariable long id, @Valid @RequestBody CloseRule body) {
        return pricing.close(id, body.lastDay());
    }

    @Operation(summary = "List billing rules")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/rules")
    Page<BillingRule> list(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, pricing::rules, BillingRule::id);
    }

    @Operation(summary = "Get a billing rule")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/rules/{id}")
    BillingRule get(@PathVariable long id) {
        return pricing.rule(id).orElseThrow(() -> KopekException.notFound("billing rule", id));
    }

    @Operation(summary = "Get a VAT rate on a date")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/vat-rates/{code}")
    VatRate vatRate(
            @PathVariable String code, @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return pricing.vatRate(code, date);
    }
}
