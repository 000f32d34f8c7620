package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.reconciliation.Discrepancies;
import io.kopek.reconciliation.Discrepancy;
import io.kopek.reconciliation.DiscrepancySelection;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.reconciliation.ResultClass;
import io.kopek.reconciliation.ResultLine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/**
 * Reconciliation of the providers' settlement registries: runs per provider and business day, what each found
 * (every registry line and ledger operation with its result and why), and the discrepancies accountants
 * comment on and resolve.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class ReconciliationApi {

    private final Reconciliation reconciliation;
    private final Discrepancies discrepancies;

    ReconciliationApi(Reconciliation reconciliation, Discrepancies discrepancies) {
        this.reconciliation = reconciliation;
        this.discrepancies = discrepancies;
    }

    @Schema(name = "StartReconciliationRun")
    record StartRun(@NotBlank String provider, @NotNull LocalDate businessDate) {}

    /** Reconciles a provider's day now; running it again gives the same result and posts nothing twice. */
    @Operation(summary = "Reconcile a provider's business day")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/reconciliation/runs")
    @ResponseStatus(HttpStatus.CREATED)
    ReconciliationRun run(@Valid @RequestBody StartRun body) {
        return reconciliation.run(body.provider(), body.businessDate());
    }

    /** The latest run of each day of a provider between {@code from} and {@code to}. */
    @Operation(summary = "List a provider's latest reconciliation runs per day")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/reconciliation/runs")
    List<ReconciliationRun> runs(
            @RequestParam String provider,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        if (from.isAfter(to) || from.plusDays(366).isBefore(to)) {
            throw KopekException.invalid("invalid-period", "from must not be after to, nor a year before it");
        }
        return reconciliation.latest(provider, from, to);
    }

    @Operation(summary = "Get a reconciliation run")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/reconciliation/runs/{id}")
    ReconciliationRun run(@PathVariable long id) {
        return reconciliation.get(id);
    }

    @Operation(summary = "List a reconciliation run's results")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/reconciliation/runs/{id}/results")
    List<ResultLine> results(
            @PathVariable long id,
            @RequestParam(required = false) String result,
            @RequestParam(defaultValue = "0") @Min(0) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        reconciliation.get(id);
        return reconciliation.results(id, Access.code(result, ResultClass.class, "result"), offset, limit);
    }

    @Operation(summary = "List discrepancies")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/discrepancies")
    Page<Discrepancy> discrepancies(
            @RequestParam(required = false) String provider,
            @RequestParam(name = "business_date", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                    LocalDate day,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return Page.read(
                cursor, limit, (after, n) -> discrepancies.list(provider, day, status, after, n), Discrepancy::id);
    }

    @Operation(summary = "Get a discrepancy")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/discrepancies/{id}")
    Discrepancy discrepancy(@PathVariable long id) {
        return discrepancies.get(id);
    }

    record Note(@NotBlank @Size(max = 4000) String body) {}

    @Operation(summary = "Comment on a discrepancy")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/discrepancies/{id}/comments")
    @ResponseStatus(HttpStatus.CREATED)
    Discrepancy comment(
            @PathVariable long id, @Valid @RequestBody Note body, @AuthenticationPrincipal ApiPrincipal caller) {
        return discrepancies.comment(id, caller.name(), body.body());
    }

    record Resolution(@NotBlank @Size(max = 4000) String resolution) {}

    /** Open discrepancies matching all that is given; {@code status}, when given, is {@code open}. */
    @Schema(name = "DiscrepancyFilter")
    record Filter(@Size(max = 100) String provider, LocalDate businessDate, String resultClass, String status) {}

    /** Either {@code ids} or {@code filter}, and the one resolution for all of them. */
    @Schema(name = "BulkResolution")
    record BulkResolution(
            List<Long> ids,
            @Valid Filter filter,
            @NotBlank @Size(max = 4000) String resolution) {}

    @Schema(name = "BulkResolved")
    record Resolved(int resolved) {}

    /**
     * Resolves many open discrepancies with one resolution, in one transaction, each recorded as a single
     * resolution is (who, when, the resolution, a {@code discrepancy.resolved} event): by {@code ids} (all of them
     * open, or nothing is resolved: 404 for an unknown one, 409 for one not open), or every open one a
     * {@code filter} matches (provider, business day, result class; at least one). At most 10,000 at once (422
     * {@code too-many-discrepancies} naming how many were selected).
     */
    @Operation(summary = "Resolve many discrepancies at once")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/discrepancies/resolve")
    Resolved resolveAll(@Valid @RequestBody BulkResolution body, @AuthenticationPrincipal ApiPrincipal caller) {
        return new Resolved(discrepancies.resolveAll(selection(body), caller.name(), body.resolution()));
    }

    private static DiscrepancySelection selection(BulkResolution body) {
        if ((body.ids() == null) == (body.filter() == null)) {
            throw new InvalidParameterException("ids", "give either ids or a filter, not both nor neither");
        }
        if (body.ids() != null) {
            if (body.ids().isEmpty() || body.ids().contains(null)) {
                throw new InvalidParameterException("ids", "one discrepancy id at least, and no null");
            }
            return new DiscrepancySelection.Ids(body.ids());
        }
        Filter f = body.filter();
        if (f.status() != null && !f.status().equalsIgnoreCase("open")) {
            throw new InvalidParameterException("filter.status", "only open discrepancies are resolved");
        }
        if (f.provider() == null && f.businessDate() == null && f.resultClass() == null) {
            throw new InvalidParameterException(
                    "filter", "name at least one of provider, business_date and result_class");
        }
        ResultClass result;
        try {
            result = f.resultClass() == null ? null : ResultClass.of(f.resultClass());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("filter.result_class", "unknown result class " + f.resultClass());
        }
        return new DiscrepancySelection.Filter(f.provider(), f.businessDate(), result);
    }

    @Operation(summary = "Resolve a discrepancy")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/discrepancies/{id}/resolve")
    Discrepancy resolve(
            @PathVariable long id, @Valid @RequestBody Resolution body, @AuthenticationPrincipal ApiPrincipal caller) {
        return discrepancies.resolve(id, caller.name(), body.resolution());
    }
}
