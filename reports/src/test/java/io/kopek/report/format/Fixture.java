package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportSummary.ControlTotal;
import io.kopek.report.ReportSummary.TableSummary;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A small payments register of every column type, with the values a writer can get wrong: a million roubles, a
 * negative amount, kopecks that are not exact in binary, empty cells, Cyrillic, and texts that start like formulas.
 */
final class Fixture {

    static final List<Column> COLUMNS = List.of(
            Column.integer("payment_id", "№ платежа", false),
            Column.date("business_date", "Дата"),
            Column.timestamp("created_at", "Создан"),
            Column.text("customer", "Покупатель", 30),
            Column.money("amount", "Сумма, руб."),
            Column.money("fee", "Комиссия, руб."),
            Column.decimal("vat_rate", "Ставка НДС"),
            Column.integer("items", "Позиций", true));

    static final String HOSTILE = "=HYPERLINK(\"http://evil.example\",\"Нажмите\")";

    static final List<Object[]> ROWS = List.of(
            new Object[] {
                101L,
                LocalDate.of(2026, 12, 1),
                LocalDateTime.of(2026, 12, 1, 10, 15, 30),
                "ООО «Ромашка»",
                123_456_789L,
                2_500L,
                new BigDecimal("0.20"),
                3L
            },
            new Object[] {
                102L,
                LocalDate.of(2026, 12, 2),
                LocalDateTime.of(2026, 12, 2, 23, 59, 59),
                HOSTILE,
                -1_250L,
                10L,
                new BigDecimal("0.10"),
                1L
            },
            new Object[] {103L, LocalDate.of(2026, 12, 3), null, "+7 495 000-00-00", 10L, null, null, null},
            new Object[] {
                104L,
                LocalDate.of(2026, 12, 31),
                LocalDateTime.of(2026, 12, 31, 0, 0),
                "-5 по акту",
                1L,
                0L,
                new BigDecimal("0"),
                2L
            },
            new Object[] {105L, null, null, "@SUM(A1)", 99L, 1L, null, 1L},
            new Object[] {106L, null, null, "\tтабуляция", 2L, 0L, null, 0L});

    static final List<Column> SUMMARY_COLUMNS =
            List.of(Column.text("method", "Способ оплаты", 20), Column.integer("count", "Платежей", true));

    static final List<Object[]> SUMMARY_ROWS = List.of(new Object[] {"Карта", 4L}, new Object[] {"Перевод", 2L});

    private Fixture() {}

    static Table detail() {
        return detail(ROWS);
    }

    static Table detail(List<Object[]> rows) {
        return new Table("Платежи", "Платежи за период", Table.Kind.DETAIL, COLUMNS, rows::stream);
    }

    static Table summary() {
        return new Table(
                "По способам",
                "Платежи по способам оплаты",
                Table.Kind.SUMMARY,
                SUMMARY_COLUMNS,
                () -> Stream.of(SUMMARY_ROWS.toArray(Object[][]::new)));
    }

    static ReportHeader header(CsvProfile profile, CsvProfile.CsvCharset charset) {
        return new ReportHeader(
                42L,
                ReportType.PAYMENTS,
                List.of(
                        new ReportHeader.FilterLine("Период", "01.12.2026 — 31.12.2026"),
                        new ReportHeader.FilterLine("Провайдер", "yookassa")),
                LocalDateTime.of(2026, 12, 4, 15, 30, 5),
                987_654L,
                profile,
                charset);
    }

    static ReportHeader header() {
        return header(CsvProfile.EXCEL_RU, CsvProfile.CsvCharset.UTF_8);
    }

    /** What the generator computes as rows pass: rows and the sums of the summed columns. */
    static ReportSummary summaryOf(Table... tables) {
        List<TableSummary> summaries = new ArrayList<>();
        for (Table table : tables) {
            List<Object[]> rows;
            try (Stream<Object[]> stream = table.rows().get()) {
                rows = stream.toList();
            }
            List<ControlTotal> totals = new ArrayList<>();
            for (int i = 0; i < table.columns().size(); i++) {
                Column column = table.columns().get(i);
                if (column.summed()) {
                    BigDecimal sum = BigDecimal.ZERO;
                    for (Object[] row : rows) {
                        if (row[i] != null) {
                            sum = sum.add(
                                    row[i] instanceof BigDecimal d
                                            ? d
                                            : BigDecimal.valueOf(((Number) row[i]).longValue()));
                        }
                    }
                    totals.add(new ControlTotal(column.name(), column.title(), column.type(), sum));
                }
            }
            summaries.add(new TableSummary(table.name(), rows.size(), totals));
        }
        return new ReportSummary(summaries);
    }

    /** A whole report through a writer, as the generator drives it. */
    static byte[] write(ReportWriters writers, ReportHeader header, Table... tables) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReportWriter writer = writers.open(header, out)) {
            for (Table table : tables) {
                try (Stream<Object[]> rows = table.rows().get()) {
                    writer.table(table, rows.iterator());
                }
            }
            writer.finish(summaryOf(tables));
        }
        return out.toByteArray();
    }
}
