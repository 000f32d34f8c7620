package io.kopek.report.catalogue;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.report.Column;
import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportSql;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import java.util.List;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * The turnover sheet (оборотно-сальдовая ведомость) of the ledger's accounts for a period: per account its opening
 * balance, its debit and credit turnover in the period and its closing balance, each balance in the debit or the
 * credit column by its sign, as a Russian ОСВ shows it. For every account opening + debit − credit = closing (in debit
 * terms), and since every ledger transaction balances per currency, the debit columns equal the credit columns per
 * currency: the second table shows those totals. Entries count by the business day they were posted on, up to the
 * run's watermark; accounts that never had an entry by the period's end are left out (all their figures are zero).
 *
 * <p>One grouped pass over the ledger's postings up to the period's end, however many accounts: the opening balance
 * and the two turnovers are filtered sums of the same rows.
 */
@Component
class TurnoverSheet implements ReportDefinition {

    static final List<Column> ACCOUNTS = List.of(
            Column.text("account", "Счёт", 40),
            Column.text("currency", "Валюта", 7),
            Column.text("normal_side", "Сторона счёта", 8),
            Column.money("opening_debit", "Сальдо на начало, Дт"),
            Column.money("opening_credit", "Сальдо на начало, Кт"),
            Column.money("debit_turnover", "Обороты за период, Дт"),
            Column.money("credit_turnover", "Обороты за период, Кт"),
            Column.money("closing_debit", "Сальдо на конец, Дт"),
            Column.money("closing_credit", "Сальдо на конец, Кт"));

    static final List<Column> CURRENCIES = List.of(
            Column.text("currency", "Валюта", 7),
            Column.integer("accounts", "Счетов", true),
            Column.money("opening_debit", "Сальдо на начало, Дт"),
            Column.money("opening_credit", "Сальдо на начало, Кт"),
            Column.money("debit_turnover", "Обороты за период, Дт"),
            Column.money("credit_turnover", "Обороты за период, Кт"),
            Column.money("closing_debit", "Сальдо на конец, Дт"),
            Column.money("closing_credit", "Сальдо на конец, Кт"));

    /** Per account: the opening balance in debit terms (debits − credits before the period) and the turnovers. */
    private static final String PER_ACCOUNT = """
            select p.account_code, p.account_currency as currency, p.normal_side,
                   coalesce(sum(case p.side when 'D' then p.amount else -p.amount end)
                            filter (where p.posted_at < %1$s), 0) as opening,
                   coalesce(sum(p.amount) filter (where p.side = 'D' and p.posted_at >= %1$s), 0) as debits,
                   coalesce(sum(p.amount) filter (where p.side = 'C' and p.posted_at >= %1$s), 0) as credits
            from ledger_posting p
            where p.entry_id <= :watermark and p.posted_at < %2$s
            group by p.account_code, p.account_currency, p.normal_side
            """.formatted(BusinessDays.START, BusinessDays.END);

    private static final String ACCOUNTS_SQL = """
            select a.account_code, a.currency, case a.normal_side when 'D' then 'Дт' else 'Кт' end,
                   greatest(a.opening, 0), greatest(-a.opening, 0), a.debits, a.credits,
                   greatest(a.opening + a.debits - a.credits, 0), greatest(-(a.opening + a.debits - a.credits), 0)
            from (%s) a
            order by a.currency, a.account_code
            """.formatted(PER_ACCOUNT);

    private static final String CURRENCIES_SQL = """
            select a.currency, count(*),
                   sum(greatest(a.opening, 0)), sum(greatest(-a.opening, 0)), sum(a.debits), sum(a.credits),
                   sum(greatest(a.opening + a.debits - a.credits, 0)),
                   sum(greatest(-(a.opening + a.debits - a.credits), 0))
            from (%s) a
            group by a.currency
            order by a.currency
            """.formatted(PER_ACCOUNT);

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    TurnoverSheet(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.TURNOVER;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        SqlParameterSource parameters = BusinessDays.parameters(
                calendar, query.filters().from(), query.filters().to(), query.watermark());
        return List.of(
                new Table(
                        "ОСВ",
                        "Оборотно-сальдовая ведомость по счетам",
                        Table.Kind.DETAIL,
                        ACCOUNTS,
                        () -> sql.rows(ACCOUNTS_SQL, parameters, ACCOUNTS)),
                new Table(
                        "Итоги по валютам",
                        "Итоги по валютам: Дт = Кт",
                        Table.Kind.SUMMARY,
                        CURRENCIES,
                        () -> sql.rows(CURRENCIES_SQL, parameters, CURRENCIES)));
    }
}
