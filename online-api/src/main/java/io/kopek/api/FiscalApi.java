package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.fiscal.FiscalBacklog;
import io.kopek.money.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What is not fiscalised yet: receipts per unfinished state, the stopped ones (failed, invalid) with their reasons,
 * and the payments and refunds without a done or exempt receipt. A failed receipt is sent again by
 * {@code POST /receipts/{id}/resend}.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/fiscal")
class FiscalApi {

    private final FiscalBacklog backlog;

    FiscalApi(FiscalBacklog backlog) {
        this.backlog = backlog;
    }

    /** How many receipts are in a state, and when the oldest of them was made (null when none). */
    @Schema(name = "FiscalBacklogState")
    record BacklogState(String state, long count, Instant oldestAt) {

        static BacklogState of(FiscalBacklog.StateCount c) {
            return new BacklogState(c.state().code(), c.count(), c.oldestAt());
        }
    }

    /** Every unfinished state (pending, waiting, failed, invalid), zero counts included. */
    @Operation(summary = "Receipts not done yet, per state")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/backlog")
    List<BacklogState> backlog() {
        return backlog.byState().stream().map(BacklogState::of).toList();
    }

    @Schema(name = "StoppedReceipt")
    record StoppedReceipt(
            long receiptId, String kind, String state, String reason, Long invoiceId, Money total, Instant updatedAt) {

        static StoppedReceipt of(FiscalBacklog.StoppedReceipt r) {
            return new StoppedReceipt(
                    r.receiptId(),
                    r.kind().code(),
                    r.state().code(),
                    r.reason(),
                    r.invoiceId(),
                    r.total(),
                    r.updatedAt());
        }
    }

    /**
     * Failed receipts (refused by the cash register or stopped for a person; {@code resend} puts one back) and
     * invalid ones (never registrable as they are: a correction receipt is the remedy), with the reason, by id.
     */
    @Operation(summary = "List failed and invalid receipts")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/failed")
    Page<StoppedReceipt> failed(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(
                cursor,
                limit,
                (after, n) -> backlog.stopped(after, n).stream()
                        .map(StoppedReceipt::of)
                        .toList(),
                StoppedReceipt::receiptId);
    }

    @Schema(name = "UnfiscalizedOperation")
    record Unfiscalized(
            String eventKey,
            String operation,
            Long invoiceId,
            long paymentId,
            Long refundId,
            Money amount,
            Instant createdAt,
            String receiptState) {

        static Unfiscalized of(FiscalBacklog.Unfiscalized u) {
            return new Unfiscalized(
                    u.eventKey(),
                    u.operation(),
                    u.invoiceId(),
                    u.paymentId(),
                    u.refundId(),
                    u.amount(),
                    u.createdAt(),
                    u.receiptState() == null ? null : u.receiptState().code());
        }
    }

    /**
     * Payments and refunds without a done or exempt receipt (the view {@code fiscal_unfiscalized}), oldest first;
     * {@code receipt_state} null when there is no receipt at all.
     */
    @Operation(summary = "List payments and refunds without a done receipt")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/unfiscalized")
    Page<Unfiscalized> unfiscalized(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        List<Unfiscalized> rows = backlog.unfiscalized(position(cursor), n).stream()
                .map(Unfiscalized::of)
                .toList();
        String next = rows.size() == n ? cursor(rows.getLast()) : null;
        return new Page<>(rows, next);
    }

    /** The cursor of a page that ends at this row: its time (epoch microseconds) and event key, base64url. */
    private static String cursor(Unfiscalized last) {
        Instant at = last.createdAt();
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((micros + " " + last.eventKey()).getBytes(StandardCharsets.UTF_8));
    }

    private static FiscalBacklog.Position position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int space = decoded.indexOf(' ');
            long micros = Long.parseLong(decoded.substring(0, space));
            Instant at =
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
            return new FiscalBacklog.Position(at, decoded.substring(space + 1));
        } catch (RuntimeException e) {
            throw KopekException.invalid("invalid-cursor", "cursor " + cursor + " was not issued by this API");
        }
    }
}
