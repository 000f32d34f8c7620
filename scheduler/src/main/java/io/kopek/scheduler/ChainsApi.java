package io.kopek.scheduler;

import io.kopek.api.Allowed;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import io.kopek.api.Idempotent;
import io.kopek.api.Page;
import io.kopek.batch.chain.Chain;
import io.kopek.batch.chain.MissedDay;
import io.kopek.batch.chain.SettlementChains;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The daily settlement chains (intake → import → reconciliation → reports per provider and business day): the
 * chains with their steps, the missed days (the catch-up's preview), a chain started by hand and a catch-up of the
 * missed days in date order. Every start is written to the audit log with its reason before it happens. Starting
 * needs a process with the batch role; reading works anywhere.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class ChainsApi {

    private final SettlementChains chains;
    private final AuditLog audit;

    ChainsApi(SettlementChains chains, AuditLog audit) {
        this.chains = chains;
        this.audit = audit;
    }

    @Schema(name = "SettlementChain")
    record ChainView(
            long id,
            String provider,
            LocalDate businessDate,
            int attempt,

            @Schema(allowableValues = {"running", "completed", "failed"})
            String state,

            @Schema(allowableValues = {"schedule", "manual", "catch_up"})
            String trigger,

            Instant startedAt,
            Instant endedAt,
            String error,
            List<StepView> steps) {

        static ChainView of(Chain c) {
            return new ChainView(
                    c.id(),
                    c.provider(),
                    c.businessDate(),
                    c.attempt(),
                    c.state().code(),
                    c.trigger().code(),
                    c.startedAt(),
                    c.endedAt(),
                    c.error(),
                    c.steps().stream().map(StepView::of).toList());
        }
    }

    @Schema(name = "SettlementChainStep")
    record StepView(
            @Schema(allowableValues = {"intake", "import", "reconciliation", "reports"})
            String step,

            @Schema(allowableValues = {"pending", "running", "completed", "failed", "skipped"})
            String state,

            Long jobRunId,
            Instant startedAt,
            Instant endedAt,
            String error) {

        static StepView of(Chain.Step s) {
            return new StepView(s.step().code(), s.state().code(), s.jobRunId(), s.startedAt(), s.endedAt(), s.error());
        }
    }

    @Schema(name = "MissedChainDay")
    record MissedView(String provider, LocalDate businessDate, List<String> steps) {

        static MissedView of(MissedDay m) {
            return new MissedView(
                    m.provider(),
                    m.businessDate(),
                    m.steps().stream().map(Chain.StepName::code).toList());
        }
    }

    @Schema(name = "StartChain")
    record StartChain(
            @NotBlank String provider,
            @NotNull LocalDate businessDate,
            @Size(max = AuditLog.MAX_REASON) String reason) {}

    @Schema(name = "CatchUpChains")
    record CatchUp(
            String provider,
            @Size(max = AuditLog.MAX_REASON) String reason) {}

    @Operation(summary = "List settlement chains, newest first")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/chains")
    Page<ChainView> list(
            @RequestParam(required = false) String provider,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        if (from != null && to != null && from.isAfter(to)) {
            throw KopekException.invalid("invalid-period", "from must not be after to");
        }
        return Page.read(
                cursor,
                limit,
                (below, n) -> chains.list(blankToNull(provider), from, to, below, n).stream()
                        .map(ChainView::of)
                        .toList(),
                ChainView::id);
    }

    @Operation(summary = "Get a settlement chain with its steps")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/chains/{id}")
    ChainView get(@PathVariable long id) {
        return ChainView.of(chains.get(id));
    }

    /** The days a catch-up would run, in date order: those without a completed chain, up to yesterday. */
    @Operation(summary = "List the missed days a catch-up would run")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/chains/missed")
    List<MissedView> missed(@RequestParam(required = false) String provider) {
        return chains.missed(blankToNull(provider)).stream().map(MissedView::of).toList();
    }

    /** Starts a chain of a provider's day now (202): follow it at {@code /api/v1/chains/{id}}. */
    @Operation(summary = "Start the settlement chain of a provider's day")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/chains")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ChainView start(@Valid @RequestBody StartChain body, @AuthenticationPrincipal ApiPrincipal caller) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("provider", body.provider());
        details.put("business_date", body.businessDate().toString());
        audit.record(
                caller, AuditAction.CHAIN_STARTED, body.provider() + "/" + body.businessDate(), details, body.reason());
        return ChainView.of(chains.start(body.provider(), body.businessDate(), Chain.Trigger.MANUAL));
    }

    /** Runs the missed days one after another in date order, in the background (202), and lists them. */
    @Operation(summary = "Catch up the missed days of a provider, or of all")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/chains/catch-up")
    @ResponseStatus(HttpStatus.ACCEPTED)
    List<MissedView> catchUp(
            @Valid @RequestBody(required = false) CatchUp body, @AuthenticationPrincipal ApiPrincipal caller) {
        String provider = body == null ? null : blankToNull(body.provider());
        List<MissedDay> preview = chains.missed(provider);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("provider", provider == null ? "all" : provider);
        details.put("days", Integer.toString(preview.size()));
        if (!preview.isEmpty()) {
            details.put("from", preview.getFirst().businessDate().toString());
            details.put("to", preview.getLast().businessDate().toString());
        }
        audit.record(
                caller,
                AuditAction.CATCH_UP_STARTED,
                provider == null ? "all" : provider,
                details,
                body == null ? null : body.reason());
        return chains.catchUp(provider).stream().map(MissedView::of).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
