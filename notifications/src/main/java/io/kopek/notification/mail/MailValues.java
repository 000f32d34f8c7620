package io.kopek.notification.mail;

import io.kopek.billing.Invoice;
import io.kopek.notification.Notification;
import io.kopek.notification.ObjectState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The named values a mail's texts may use, read from the event's payload (each field by its name, amounts beside
 * {@code currency} as money, instants and dates in the business zone) and from the current state of what it is about
 * (the invoice's number and totals, the hold, the receipt's fiscal attributes).
 */
final class MailValues {

    private static final Set<String> AMOUNTS = Set.of("amount", "total", "vat");
    private static final Set<String> INSTANTS = Set.of("expiresAt", "failedAt", "checkedAt", "occurredAt");
    private static final Set<String> DATES = Set.of("businessDate", "day");

    private MailValues() {}

    static Map<String, String> of(Notification n, Optional<Invoice> invoice, MailFormat format, MailTexts texts) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<?, ?> payload = n.payload();
        String currency = payload.get("currency") instanceof String c ? c : null;
        payload.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (v == null) {
                return;
            }
            if (AMOUNTS.contains(key) && v instanceof Number number && currency != null) {
                values.put(key, format.money(number.longValue(), currency));
            } else if (INSTANTS.contains(key)) {
                values.put(key, instant(v).map(format::time).orElse(String.valueOf(v)));
            } else if (DATES.contains(key)) {
                values.put(key, date(v).map(format::date).orElse(String.valueOf(v)));
            } else if ("differences".equals(key) && v instanceof List<?> list) {
                values.put(key, driftDifferences(list));
            } else if (v instanceof List<?> list) {
                values.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(", ")));
            } else if (!(v instanceof Map<?, ?>)) {
                values.put(key, String.valueOf(v));
            }
        });
        values.put("occurredAt", format.time(n.occurredAt()));
        if (payload.get("method") instanceof String method && texts.has("method." + method)) {
            values.put("method", texts.get("method." + method));
        }
        if (payload.get("kind") instanceof String kind && texts.has("receipt.kind." + kind)) {
            values.put("receiptKind", texts.get("receipt.kind." + kind));
        }
        invoice.ifPresent(i -> {
            values.put("number", i.number());
            values.put("issueDate", format.date(i.issueDate()));
            values.put("dueDate", format.date(i.dueDate()));
            values.put("invoiceTotal", format.money(i.total()));
            values.put("invoiceVat", format.money(i.vatTotal()));
            values.put("paid", format.money(i.paid()));
            values.put("outstanding", format.money(i.outstanding()));
        });
        switch (n.subject() == null ? null : n.subject().object()) {
            case ObjectState.Hold h -> {
                values.put("holdAmount", format.money(h.amount(), h.currency()));
                values.putIfAbsent("expiresAt", format.time(h.expiresAt()));
                if (h.captured() != null) {
                    values.put("captured", format.money(h.captured(), h.currency()));
                }
            }
            case ObjectState.Receipt r -> {
                values.put("fn", r.fnNumber());
                values.put(
                        "fd",
                        r.fiscalDocumentNumber() == null
                                ? null
                                : r.fiscalDocumentNumber().toString());
                values.put("fp", r.fiscalDocumentAttribute());
                values.put(
                        "fiscalReceiptNumber",
                        r.fiscalReceiptNumber() == null
                                ? null
                                : r.fiscalReceiptNumber().toString());
                values.put("registeredAt", format.time(r.registeredAt()));
                values.putIfAbsent("total", format.money(r.total(), r.currency()));
            }
            case null, default -> {}
        }
        if (payload.get("results") instanceof Map<?, ?> results) {
            discrepancies(results, values);
        }
        return values;
    }

    /** A search drift check's differences: {@code payments 2026-12-03: 9/10 documents, sum 900/1000 (index/database)}. */
    private static String driftDifferences(List<?> differences) {
        return differences.stream()
                .map(d -> d instanceof Map<?, ?> m
                        ? m.get("index") + " " + m.get("day") + ": " + m.get("esCount") + "/" + m.get("dbCount")
                                + " documents, sum " + m.get("esSum") + "/" + m.get("dbSum")
                        : String.valueOf(d))
                .collect(Collectors.joining("; "));
    }

    /** A reconciliation's result classes other than matched, with their counts ({@code amount_mismatch 3, ...}). */
    static long discrepancies(Map<?, ?> results, Map<String, String> values) {
        long total = 0;
        StringBuilder classes = new StringBuilder();
        for (var entry : new java.util.TreeMap<>(results.entrySet().stream()
                        .collect(Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue)))
                .entrySet()) {
            if ("matched".equals(entry.getKey())
                    || !(entry.getValue() instanceof Map<?, ?> totals)
                    || !(totals.get("count") instanceof Number count)
                    || count.longValue() == 0) {
                continue;
            }
            total += count.longValue();
            if (!classes.isEmpty()) {
                classes.append(", ");
            }
            classes.append(entry.getKey()).append(' ').append(count.longValue());
        }
        if (values != null) {
            values.put("discrepancies", classes.toString());
            values.put("discrepancyCount", Long.toString(total));
        }
        return total;
    }

    private static Optional<Instant> instant(Object v) {
        try {
            return Optional.of(Instant.parse(String.valueOf(v)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> date(Object v) {
        try {
            return Optional.of(LocalDate.parse(String.valueOf(v)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
