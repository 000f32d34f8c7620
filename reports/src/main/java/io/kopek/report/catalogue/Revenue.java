package io.kopek.report.catalogue;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.report.Column;
import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportSql;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * Revenue for a period by product category, customer type and VAT rate: the lines of the invoices issued in the
 * period (by their business date) that are not cancelled, each at the VAT rate it was priced at, which is the rate in
 * force on its invoice's date (so a period across a change of rate shows both rates). Gross is what the lines charge
 * with VAT, VAT what they contain, net the difference: what the ledger credits to {@code revenue:<category>} and
 * {@code vat:payable} when the invoices are issued. Refunds, which debit those accounts later, are not taken off.
 *
 * <p>A second table totals the same lines by VAT rate, as the sales book (книга продаж) sums them.
 *
 * <p>An invoice counts as cancelled when it is cancelled now: one cancelled after the period is left out of the
 * period's revenue although the ledger reverses it on the day of its cancellation.
 */
@Component
class Revenue implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.text("category", "Категория", 24),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("currency", "Валюта", 7),
            Column.text("vat_code", "НДС", 10),
            Column.decimal("vat_rate", "Ставка НДС, %"),
            Column.integer("invoices", "Счетов", false),
            Column.integer("lines", "Строк", true),
            Column.money("net", "Выручка без НДС"),
            Column.money("vat", "НДС"),
            Column.money("gross", "Выручка с НДС"));

    static final List<Column> RATES = List.of(
            Column.text("currency", "Валюта", 7),
            Column.text("vat_code", "НДС", 10),
            Column.decimal("vat_rate", "Ставка НДС, %"),
            Column.integer("invoices", "Счетов", false),
            Column.money("net", "Выручка без НДС"),
            Column.money("vat", "НДС"),
            Column.money("gross", "Выручка с НДС"));

    /** The lines that count, the filters' conditions in place of {@code %s}. */
    private static final String LINES = """
            from billing_revenue_line l
            join customer_directory c on c.customer_id = l.customer_id
            where l.issue_date between cast(:from as date) and cast(:to as date) and l.status <> 'cancelled' %s
            """;

    private static final String BY_CATEGORY = """
            select l.category, c.type, l.currency, l.vat_code, cast(l.vat_rate_bp / 100.0 as numeric(5, 2)),
                   count(distinct l.invoice_id), count(*),
                   sum(l.amount - l.vat_amount), sum(l.vat_amount), sum(l.amount)
            """ + LINES + """
            group by l.category, c.type, l.currency, l.vat_code, l.vat_rate_bp
            order by l.category, c.type, l.currency, l.vat_rate_bp, l.vat_code
            """;

    private static final String BY_RATE = """
            select l.currency, l.vat_code, cast(l.vat_rate_bp / 100.0 as numeric(5, 2)), count(distinct l.invoice_id),
                   sum(l.amount - l.vat_amount), sum(l.vat_amount), sum(l.amount)
            """ + LINES + """
            group by l.currency, l.vat_code, l.vat_rate_bp
            order by l.currency, l.vat_rate_bp, l.vat_code
            """;

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    Revenue(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.REVENUE;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        MapSqlParameterSource parameters = BusinessDays.parameters(calendar, f.from(), f.to(), query.watermark());
        Conditions conditions = new Conditions(parameters)
                .and("l.merchant_code = :merchant", "merchant", f.merchant())
                .and("l.category = :category", "category", f.category())
                .and("c.type = :customer_type", "customer_type", f.customerType());
        String byCategory = BY_CATEGORY.formatted(conditions);
        String byRate = BY_RATE.formatted(conditions);
        return List.of(
                new Table(
                        "Выручка",
                        "Выручка по категориям, типам покупателей и ставкам НДС",
                        Table.Kind.DETAIL,
                        COLUMNS,
                        () -> sql.rows(byCategory, parameters, COLUMNS)),
                new Table(
                        "По ставкам НДС",
                        "Итоги по ставкам НДС",
                        Table.Kind.SUMMARY,
                        RATES,
                        () -> sql.rows(byRate, parameters, RATES)));
    }
}
