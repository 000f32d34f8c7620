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
 * The payments register: every payment of the period (business days, by when it was recorded), invoice payments and
 * top-ups, by method and provider, from billing's {@code billing_payment} and {@code billing_invoice_header}. The
 * status filter is the payment method (a recorded payment has one status, succeeded). A top-up belongs to no invoice
 * and so to no merchant: a merchant filter leaves top-ups out. In the order they were recorded: by id, which the
 * database gives in that order.
 */
@Component
class PaymentsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.timestamp("paid_at", "Дата и время"),
            Column.integer("payment_id", "Платёж", false),
            Column.text("invoice", "Счёт", 16),
            Column.text("merchant", "Продавец", 12),
            Column.integer("customer_id", "Покупатель, id", false),
            Column.text("customer_name", "Покупатель", 30),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("purpose", "Назначение", 10),
            Column.text("method", "Способ", 13),
            Column.text("provider", "Провайдер", 12),
            Column.text("provider_payment_id", "Платёж у провайдера", 24),
            Column.money("amount", "Сумма"),
            Column.money("refunded", "Возвращено"),
            Column.text("currency", "Валюта", 7));

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    PaymentsReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.PAYMENTS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        FilteredSelect select = new FilteredSelect("""
                        select p.created_at at time zone :zone, p.payment_id, i.number, i.merchant_code,
                               p.customer_id, c.name, c.type, p.purpose, p.method, p.provider,
                               p.provider_payment_id, p.amount, p.refunded_amount, p.currency
                        from billing_payment p
                        left join billing_invoice_header i on i.invoice_id = p.invoice_id
                        left join customer_directory c on c.customer_id = p.customer_id
                        where true""", calendar.zone())
                .within("p.created_at", f.from(), f.to())
                .and("p.provider = :provider", "provider", f.provider())
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .and("p.method = :method", "method", f.status())
                .and("p.customer_id = :customer", "customer", f.customer())
                .and("c.type = :customerType", "customerType", f.customerType())
                .and("p.amount >= :minAmount", "minAmount", f.minAmount())
                .and("p.amount <= :maxAmount", "maxAmount", f.maxAmount())
                .then("order by p.payment_id");
        return List.of(new Table(
                "Платежи",
                ReportType.PAYMENTS.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
