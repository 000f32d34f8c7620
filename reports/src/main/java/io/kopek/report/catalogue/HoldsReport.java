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
 * Holds placed in the period (business days, by when each was placed), whatever became of them: active, captured,
 * released or expired as billing's {@code billing_hold} says now (a hold past its expiry stays active until billing's
 * expiry job expires it). The amount range is the amount held. In the order they were placed (by id).
 */
@Component
class HoldsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.timestamp("placed_at", "Установлена"),
            Column.integer("hold_id", "Блокировка", false),
            Column.text("invoice", "Счёт", 16),
            Column.text("merchant", "Продавец", 12),
            Column.integer("customer_id", "Покупатель, id", false),
            Column.text("customer_name", "Покупатель", 30),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("source", "Источник", 9),
            Column.text("provider", "Провайдер", 12),
            Column.text("provider_payment_id", "Платёж у провайдера", 24),
            Column.money("amount", "Сумма"),
            Column.money("captured", "Списано"),
            Column.text("currency", "Валюта", 7),
            Column.text("status", "Статус", 9),
            Column.timestamp("expires_at", "Истекает"),
            Column.timestamp("resolved_at", "Закрыта"));

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    HoldsReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.HOLDS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        FilteredSelect select = new FilteredSelect("""
                        select h.created_at at time zone :zone, h.hold_id, i.number, i.merchant_code,
                               h.customer_id, c.name, c.type, h.source, h.provider, h.provider_payment_id, h.amount,
                               coalesce(h.captured_amount, 0), h.currency, h.status, h.expires_at at time zone :zone,
                               h.resolved_at at time zone :zone
                        from billing_hold h
                        join billing_invoice_header i on i.invoice_id = h.invoice_id
                        left join customer_directory c on c.customer_id = h.customer_id
                        where true""", calendar.zone())
                .within("h.created_at", f.from(), f.to())
                .and("h.provider = :provider", "provider", f.provider())
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .and("h.status = :status", "status", f.status())
                .and("h.customer_id = :customer", "customer", f.customer())
                .and("c.type = :customerType", "customerType", f.customerType())
                .and("h.amount >= :minAmount", "minAmount", f.minAmount())
                .and("h.amount <= :maxAmount", "maxAmount", f.maxAmount())
                .then("order by h.hold_id");
        return List.of(new Table(
                "Блокировки",
                ReportType.HOLDS.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
