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
 * Providers' commissions per provider, business day and currency, from both sides: what the ledger's
 * {@code provider:{id}:fees:{CUR}} accounts were posted for the day's registry (the ledger's {@code ledger_posting},
 * entries up to the run's watermark; a debit is a commission, a credit one given back), beside the commission of the
 * lines the day's last reconciliation run matched (what reconciliation posts) and what the billing rules expected of
 * them (reconciliation's {@code reconciliation_last_run} and {@code reconciliation_result_line}). The difference is the
 * ledger's less the registry's: zero when every matched commission was posted once.
 *
 * <p>Reconciliation posts a day's fees with the reference {@code "<provider> registry <day>"}, so a posting belongs to
 * the registry's business day, not to the day it was posted; a posting with another reference counts on its own day.
 */
@Component
class CommissionsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.text("provider", "Провайдер", 12),
            Column.date("business_date", "Дата"),
            Column.text("currency", "Валюта", 7),
            Column.money("ledger_posted", "Проведено в учёте"),
            Column.money("registry_commission", "Комиссия по реестру"),
            Column.money("expected_commission", "Ожидалось по тарифу"),
            Column.money("difference", "Расхождение (учёт − реестр)"));

    /** {@code provider:{id}:fees:{CUR}}, as billing's Accounts names them; the provider is its first group. */
    private static final String FEE_ACCOUNT = "'^provider:(.+):fees:[A-Z]{3}$'";

    private static final String SQL = """
            with fees as (
                select substring(p.account_code from %1$s) as provider, p.currency,
                       coalesce(cast(substring(p.reference from ' registry ([0-9]{4}-[0-9]{2}-[0-9]{2})$') as date),
                                cast(p.posted_at at time zone :zone as date)) as business_date,
                       case p.side when 'D' then p.amount else -p.amount end as amount
                from ledger_posting p
                where starts_with(p.account_code, 'provider:') and p.account_code ~ %1$s
                  and p.entry_id <= :watermark %2$s),
            posted as (
                select provider, business_date, currency, sum(amount) as ledger
                from fees where business_date >= :from and business_date <= :to
                group by provider, business_date, currency),
            matched as (
                select l.provider, l.business_date, r.currency, sum(r.registry_commission) as registry,
                       coalesce(sum(r.expected_commission), 0) as expected
                from reconciliation_last_run l
                join reconciliation_result_line r on r.business_date = l.business_date and r.run_id = l.run_id
                where r.result = 'matched' and r.file_id is not null
                  and l.business_date >= :from and l.business_date <= :to
                  and r.business_date >= :from and r.business_date <= :to %3$s
                group by l.provider, l.business_date, r.currency)
            select coalesce(m.provider, p.provider), coalesce(m.business_date, p.business_date),
                   coalesce(m.currency, p.currency), coalesce(p.ledger, 0), coalesce(m.registry, 0),
                   coalesce(m.expected, 0), coalesce(p.ledger, 0) - coalesce(m.registry, 0)
            from posted p
            full join matched m on m.provider = p.provider and m.business_date = p.business_date
                                and m.currency = p.currency
            order by 1, 2, 3""";

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    CommissionsReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.COMMISSIONS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        boolean one = f.provider() != null;
        // Fixed text either way: the provider itself is bound.
        String text = SQL.formatted(
                FEE_ACCOUNT,
                one ? "and starts_with(p.account_code, 'provider:' || :provider || ':fees:')" : "",
                one ? "and l.provider = :provider" : "");
        FilteredSelect select = new FilteredSelect(text, calendar.zone())
                .bind("from", f.from())
                .bind("to", f.to())
                .bind("provider", f.provider())
                .bind("watermark", query.watermark());
        return List.of(new Table(
                "Комиссии",
                ReportType.COMMISSIONS.title(),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(select.sql(), select.parameters(), COLUMNS)));
    }
}
