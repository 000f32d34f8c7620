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
import org.springframework.stereotype.Component;

/**
 * Payments and refunds of the period (business days, by when each was recorded) without a done or exempt receipt, as
 * the fiscal gateway's {@code fiscal_unfiscalized} says (the view its daily UnfiscalizedCheck reads): with no receipt
 * at all (state empty) or one still pending, waiting, failed or invalid. Unlike the daily check it allows no grace
 * period: a receipt still on its way is listed, with its state.
 */
@Component
class UnfiscalizedReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.timestamp("at", "Дата и время"),
            Column.text("event", "Событие", 28),
            Column.text("operation", "Операция", 9),
            Column.integer("payment_id", "Платёж", false),
            Column.integer("refund_id", "Возврат", false),
            Column.text("invoice", "Счёт", 16),
            Column.text("merchant", "Продавец", 12),
            Column.money("amount", "Сумма"),
            Column.text("currency", "Валюта", 7),
            Column.text("receipt_state", "Состояние чека", 12));

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    UnfiscalizedReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.UNFISCALIZED;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        FilteredSelect select = new FilteredSelect("""
                        select u.created_at at time zone :zone, u.event_key, u.operation, u.payment_id, u.refund_id,
                               i.number, i.merchant_code, u.amount, u.currency, u.receipt_state
                        from fiscal_unfiscalized u
                        left join billing_invoice_header i on i.invoice_id = u.invoice_id
                        where true""", calendar.zone())
                .within("u.created_at", f.from(), f.to())
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .then("order by u.created_at, u.event_key");
        return List.of(new Table(
                "Без чека",
                ReportType.UNFISCALIZED.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
