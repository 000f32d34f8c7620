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
 * The refunds register: every refund of the period (business days, by when it was recorded) with the payment it
 * returns money of, from billing's {@code billing_refund}, {@code billing_payment} and {@code billing_invoice_header}.
 * The amount range is the refund's; the customer is the payment's. In the order they were recorded (by id).
 */
@Component
class RefundsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.timestamp("refunded_at", "Дата и время"),
            Column.integer("refund_id", "Возврат", false),
            Column.integer("payment_id", "Платёж", false),
            Column.text("invoice", "Счёт", 16),
            Column.text("merchant", "Продавец", 12),
            Column.integer("customer_id", "Покупатель, id", false),
            Column.text("customer_name", "Покупатель", 30),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("method", "Способ", 13),
            Column.text("provider", "Провайдер", 12),
            Column.text("provider_payment_id", "Платёж у провайдера", 24),
            Column.money("amount", "Сумма"),
            Column.text("currency", "Валюта", 7),
            Column.text("reason", "Причина", 30));

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    RefundsReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.REFUNDS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        FilteredSelect select = new FilteredSelect("""
                        select r.created_at at time zone :zone, r.refund_id, r.payment_id, i.number,
                               i.merchant_code, p.customer_id, c.name, c.type, p.method, p.provider,
                               p.provider_payment_id,
                               r.amount, r.currency, r.reason
                        from billing_refund r
                        join billing_payment p on p.payment_id = r.payment_id
                        left join billing_invoice_header i on i.invoice_id = p.invoice_id
                        left join customer_directory c on c.customer_id = p.customer_id
                        where true""", calendar.zone())
                .within("r.created_at", f.from(), f.to())
                .and("p.provider = :provider", "provider", f.provider())
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .and("p.customer_id = :customer", "customer", f.customer())
                .and("c.type = :customerType", "customerType", f.customerType())
                .and("r.amount >= :minAmount", "minAmount", f.minAmount())
                .and("r.amount <= :maxAmount", "maxAmount", f.maxAmount())
                .then("order by r.refund_id");
        return List.of(new Table(
                "Возвраты",
                ReportType.REFUNDS.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
