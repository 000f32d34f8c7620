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
 * Customers' prepaid advances as of a day ({@code to}): per customer and currency, the credit balance of its
 * {@code customer:<id>:balance:<currency>} ledger account from the entries posted up to the end of that day (and up
 * to the run's watermark), what holds on it reserved at that moment, and what was left to spend. A balance below zero
 * is credit a billing rule granted, shown as it is. Customers with nothing on the account and nothing held are left
 * out.
 *
 * <p>A hold counts as held from its reservation until it was captured, released or expired (the ledger's pending
 * transfer, resolved at that moment). The reservation is dated by the database's clock (the ledger's
 * {@code ledger_reserve} is given no business time), its resolution by the business clock; the two agree in
 * production, where both are the system's time.
 */
@Component
class CustomerBalances implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.integer("customer_id", "Покупатель, id", false),
            Column.text("customer_name", "Покупатель", 36),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("inn", "ИНН", 13),
            Column.text("currency", "Валюта", 7),
            Column.money("balance", "Остаток аванса"),
            Column.money("held", "Заблокировано"),
            Column.money("available", "Доступно"));

    private static final String SQL = """
            with posted as (
                select p.account_code, sum(case p.side when 'C' then p.amount else -p.amount end) as balance
                from ledger_posting p
                where starts_with(p.account_code, 'customer:') and p.account_code like '%%:balance:%%'
                  and p.entry_id <= :watermark and p.posted_at < %1$s
                group by p.account_code
            ), held as (
                select h.debit_account_code as account_code, sum(h.amount) as held
                from ledger_pending h
                where starts_with(h.debit_account_code, 'customer:') and h.debit_account_code like '%%:balance:%%'
                  and h.created_at < %1$s and (h.resolved_at is null or h.resolved_at >= %1$s)
                group by h.debit_account_code
            ), accounts as (
                select coalesce(p.account_code, h.account_code) as account_code,
                       coalesce(p.balance, 0) as balance, coalesce(h.held, 0) as held
                from posted p
                full join held h on h.account_code = p.account_code
            )
            select c.customer_id, c.name, c.type, c.inn, split_part(a.account_code, ':', 4),
                   a.balance, a.held, a.balance - a.held
            from accounts a
            join customer_directory c on c.customer_id = cast(split_part(a.account_code, ':', 2) as bigint)
            where (a.balance <> 0 or a.held <> 0) %2$s
            order by c.name, c.customer_id, 5
            """;

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    CustomerBalances(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.CUSTOMER_BALANCES;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        MapSqlParameterSource parameters = BusinessDays.parameters(calendar, null, f.to(), query.watermark());
        Conditions conditions = new Conditions(parameters)
                .and("c.customer_id = :customer", "customer", f.customer())
                .and("c.type = :customer_type", "customer_type", f.customerType());
        String text = SQL.formatted(BusinessDays.END, conditions);
        return List.of(new Table(
                "Авансы",
                "Авансы покупателей на " + f.to().format(BusinessDays.RUSSIAN_DATE),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(text, parameters, COLUMNS)));
    }
}
