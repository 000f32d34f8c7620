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
 * Fiscal receipts made in the period (business days, by when the receipt was made: one not yet registered has no
 * registration time), with their fiscal attributes once registered, from the fiscal gateway's {@code fiscal_receipt}.
 * The status filter is the receipt's state. A top-up's receipt belongs to no invoice and so to no merchant. In the
 * order they were made (by id).
 */
@Component
class ReceiptsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.timestamp("created_at", "Создан"),
            Column.integer("receipt_id", "Чек", false),
            Column.text("kind", "Вид", 15),
            Column.text("state", "Состояние", 9),
            Column.text("event", "Событие", 28),
            Column.text("invoice", "Счёт", 16),
            Column.text("merchant", "Продавец", 12),
            Column.integer("payment_id", "Платёж", false),
            Column.integer("refund_id", "Возврат", false),
            Column.money("amount", "Сумма"),
            Column.text("currency", "Валюта", 7),
            Column.text("fn_number", "ФН", 17),
            Column.integer("fd_number", "ФД", false),
            Column.text("fpd", "ФПД", 11),
            Column.timestamp("registered_at", "Зарегистрирован"),
            Column.text("exemption", "Без чека: почему", 24));

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    ReceiptsReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.RECEIPTS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        FilteredSelect select = new FilteredSelect("""
                        select r.created_at at time zone :zone, r.receipt_id, r.kind, r.state, r.event_key, i.number,
                               i.merchant_code, r.payment_id, r.refund_id, r.total, r.currency, r.fn_number,
                               r.fiscal_document_number, r.fiscal_document_attribute,
                               r.registered_at at time zone :zone, r.exemption
                        from fiscal_receipt r
                        left join billing_invoice_header i on i.invoice_id = r.invoice_id
                        where true""", calendar.zone())
                .within("r.created_at", f.from(), f.to())
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .and("r.state = :state", "state", f.status())
                .then("order by r.receipt_id");
        return List.of(new Table(
                "Чеки",
                ReportType.RECEIPTS.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
