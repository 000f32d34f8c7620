package io.kopek.api;

import io.kopek.billing.CardTurnover;
import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.fiscal.FiscalBacklog;
import io.kopek.money.Money;
import io.kopek.reconciliation.Discrepancies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's dashboard: card turnover per provider and business day, discrepancies per day and result class,
 * the fiscal backlog, holds about to expire. Read from the owners' services (billing, reconciliation, the fiscal
 * gateway); periods are business days (the business zone), at most a year; money in minor units.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/dashboard")
class DashboardApi {

    /** The most holds the dashboard lists: the soonest to expire. */
    static final int MAX_HOLDS = 1000;

    private final CardTurnover turnover;
    private final Discrepancies discrepancies;
    private final FiscalBacklog backlog;
    private final Holds holds;
    private final BusinessCalendar calendar;

    DashboardApi(
            CardTurnover turnover,
            Discrepancies discrepancies,
            FiscalBacklog backlog,
            Holds holds,
            BusinessCalendar calendar) {
        this.turnover = turnover;
        this.discrepancies = discrepancies;
        this.backlog = backlog;
        this.holds = holds;
        this.calendar = calendar;
    }

    @Schema(name = "TurnoverDay")
    record TurnoverDay(
            String provider,
            LocalDate businessDate,
            String currency,
            long payments,
            long amount,
            long refunds,
            long refunded) {

        static TurnoverDay of(CardTurnover.Day d) {
            return new TurnoverDay(
                    d.provider(), d.businessDate(), d.currency(), d.payments(), d.amount(), d.refunds(), d.refunded());
        }
    }

    /**
     * Card payments and refunds per provider, business day and currency: how many and how much (minor units). From
     * and to are business days, both included; by default the last 30 days up to today.
     */
    @Operation(summary = "Card turnover per provider and business day")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/turnover")
    List<TurnoverDay> turnover(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        LocalDate last = to == null ? calendar.today() : to;
        LocalDate first = from == null ? last.minusDays(29) : from;
        Periods.require(first, last);
        return turnover.perDay(first, last).stream().map(TurnoverDay::of).toList();
    }

    @Schema(name = "DiscrepancyDay")
    record DiscrepancyDay(LocalDate businessDate, String resultClass, long count, long open) {

        static DiscrepancyDay of(Discrepancies.DayCount c) {
            return new DiscrepancyDay(c.businessDate(), c.resultClass().code(), c.count(), c.open());
        }
    }

    /**
     * Discrepancies per business day and result class: how many the reconciliation keeps (open or resolved; a
     * cleared one is gone) and how many are still open; of one provider when asked. By default the last 30 days.
     */
    @Operation(summary = "Discrepancies per business day and result class")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/discrepancies")
    List<DiscrepancyDay> discrepancies(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) String provider) {
        LocalDate last = to == null ? calendar.today() : to;
        LocalDate first = from == null ? last.minusDays(29) : from;
        Periods.require(first, last);
        return discrepancies.perDay(provider, first, last).stream()
                .map(DiscrepancyDay::of)
                .toList();
    }

    /** The same as {@code GET /fiscal/backlog}. */
    @Operation(summary = "Receipts not done yet, per state")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/fiscal-backlog")
    List<FiscalApi.BacklogState> fiscalBacklog() {
        return backlog.byState().stream().map(FiscalApi.BacklogState::of).toList();
    }

    @Schema(name = "ExpiringHold")
    record ExpiringHold(
            long holdId,
            long customerId,
            long invoiceId,
            Money amount,
            Instant expiresAt,
            String source,
            String provider) {

        static ExpiringHold of(Hold h) {
            return new ExpiringHold(
                    h.id(),
                    h.customerId(),
                    h.invoiceId(),
                    h.amount(),
                    h.expiresAt(),
                    h.source().code(),
                    h.provider());
        }
    }

    /**
     * Active holds that expire within {@code within} (ISO 8601, default 48 hours, at most 366 days), soonest first;
     * the first 1000.
     */
    @Operation(summary = "Holds about to expire")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/holds-expiring")
    List<ExpiringHold> holdsExpiring(@RequestParam(defaultValue = "PT48H") Duration within) {
        Periods.require(within, "within");
        return holds.expiring(within, MAX_HOLDS).stream().map(ExpiringHold::of).toList();
    }
}
