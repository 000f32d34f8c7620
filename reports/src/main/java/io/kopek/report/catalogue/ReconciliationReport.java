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
 * A provider's reconciliation over business days, as the last finished run of each day found it (a day run again
 * shows its last run), from reconciliation's published views: {@code reconciliation_last_run},
 * {@code reconciliation_result_line}, {@code reconciliation_discrepancy} and
 * {@code reconciliation_discrepancy_comment}.
 *
 * <ul>
 *   <li>by result class: every class, with how many results, their registry and ledger amounts and the registry's
 *       commission;
 *   <li>settlement totals per day: what the ledger expects the provider to settle, what the registry settles, the
 *       registry's commission and the difference, as the run summed them (all the day's currencies together; a
 *       provider's registry is in one, which the currency column names);
 *   <li>the detail: without a status filter, every result of the day's last run that did not match, beside every
 *       discrepancy of the day (open, resolved, or cleared by a later run, and so with no result in the last run),
 *       with who resolved it, when, how, and its comments ("author: text; ..."). With a status filter, the results
 *       of that class alone (matched included) and the discrepancies of that class.
 * </ul>
 */
@Component
class ReconciliationReport implements ReportDefinition {

    static final List<Column> BY_RESULT = List.of(
            Column.text("result", "Результат", 22),
            Column.integer("count", "Количество", true),
            Column.money("registry_amount", "Сумма по реестру"),
            Column.money("ledger_amount", "Сумма в учёте"),
            Column.money("registry_commission", "Комиссия по реестру"));

    static final List<Column> SETTLEMENT = List.of(
            Column.date("business_date", "Дата"),
            Column.text("currency", "Валюта", 7),
            Column.money("ledger_expects", "Ожидается по учёту"),
            Column.money("registry_settles", "Перечисляет реестр"),
            Column.money("registry_commission", "Комиссия по реестру"),
            Column.money("difference", "Расхождение"));

    static final List<Column> DETAIL = List.of(
            Column.date("business_date", "Дата"),
            Column.text("result", "Результат", 22),
            Column.text("operation", "Операция", 9),
            Column.text("provider_payment_id", "Платёж у провайдера", 24),
            Column.integer("payment_id", "Платёж", false),
            Column.integer("refund_id", "Возврат", false),
            Column.text("registry_line", "Строка реестра (файл:строка)", 12),
            Column.money("registry_amount", "Сумма по реестру"),
            Column.money("ledger_amount", "Сумма в учёте"),
            Column.money("registry_commission", "Комиссия по реестру"),
            Column.moneyNotSummed("expected_commission", "Комиссия по тарифу"),
            Column.text("currency", "Валюта", 7),
            Column.text("why", "Почему", 50),
            Column.integer("discrepancy_id", "Расхождение", false),
            Column.moneyNotSummed("discrepancy_amount", "Сумма расхождения"),
            Column.text("discrepancy_status", "Статус", 9),
            Column.text("resolved_by", "Кто разрешил", 16),
            Column.timestamp("resolved_at", "Когда"),
            Column.text("resolution", "Решение", 30),
            Column.text("comments", "Комментарии", 50));

    /** The last finished run of each day of the period of the provider. */
    private static final String LAST_RUNS = """
            last as (select l.run_id, l.business_date from reconciliation_last_run l
                     where l.provider = :provider and l.business_date >= :from and l.business_date <= :to)""";

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    ReconciliationReport(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.RECONCILIATION;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        return List.of(byResult(f), settlement(f), detail(f));
    }

    private FilteredSelect select(String text, ReportFilters f) {
        return new FilteredSelect(text, calendar.zone())
                .bind("provider", f.provider())
                .bind("from", f.from())
                .bind("to", f.to());
    }

    private Table byResult(ReportFilters f) {
        FilteredSelect select = select("with " + LAST_RUNS + """
                        ,
                        results as (select r.result, r.registry_amount, r.ledger_amount, r.registry_commission
                                    from last l
                                    join reconciliation_result_line r
                                      on r.business_date = l.business_date and r.run_id = l.run_id
                                    where r.business_date >= :from and r.business_date <= :to)
                        select c.result, count(r.result), coalesce(sum(r.registry_amount), 0),
                               coalesce(sum(r.ledger_amount), 0), coalesce(sum(r.registry_commission), 0)
                        from unnest(cast(:classes as text[])) with ordinality as c (result, n)
                        left join results r on r.result = c.result
                        where true""", f)
                .bind("classes", ReportType.RECONCILIATION.statuses().toArray(String[]::new))
                .and("c.result = :status", "status", f.status())
                .then("group by c.result, c.n order by c.n");
        return new Table(
                "По результатам",
                "Итоги по результатам сверки",
                Table.Kind.SUMMARY,
                BY_RESULT,
                () -> sql.rows(select.sql(), select.parameters(), BY_RESULT));
    }

    private Table settlement(ReportFilters f) {
        FilteredSelect select = select("""
                select l.business_date,
                       (select string_agg(distinct r.currency, ', ') from reconciliation_result_line r
                        where r.business_date = l.business_date and r.run_id = l.run_id
                          and r.business_date >= :from and r.business_date <= :to),
                       l.ledger_expects, l.registry_settles, l.registry_commission,
                       l.registry_settles - l.ledger_expects
                from reconciliation_last_run l
                where l.provider = :provider and l.business_date >= :from and l.business_date <= :to
                order by l.business_date""", f);
        return new Table(
                "Расчёты",
                "Итоги расчётов с провайдером по дням",
                Table.Kind.SUMMARY,
                SETTLEMENT,
                () -> sql.rows(select.sql(), select.parameters(), SETTLEMENT));
    }

    private Table detail(ReportFilters f) {
        // Fixed text either way: the class itself is bound.
        boolean byClass = f.status() != null;
        String results = byClass ? "r.result = :status" : "r.result <> 'matched'";
        String discrepancies = byClass ? "and d.result = :status" : "";
        FilteredSelect select = select("with " + LAST_RUNS + ",\n" + """
                        res as (select r.* from last l
                                join reconciliation_result_line r
                                  on r.business_date = l.business_date and r.run_id = l.run_id
                                where r.business_date >= :from and r.business_date <= :to and %s),
                        dis as (select d.* from reconciliation_discrepancy d
                                where d.provider = :provider and d.business_date >= :from and d.business_date <= :to
                                %s),
                        notes as (select c.discrepancy_id,
                                         string_agg(c.author || ': ' || c.body, '; '
                                                    order by c.created_at, c.comment_id) as comments
                                  from reconciliation_discrepancy_comment c
                                  join dis d on d.discrepancy_id = c.discrepancy_id
                                  group by c.discrepancy_id)
                        select coalesce(res.business_date, dis.business_date), coalesce(res.result, dis.result),
                               res.operation, res.provider_payment_id, res.payment_id, res.refund_id,
                               res.file_id || ':' || res.line_no, res.registry_amount, res.ledger_amount,
                               res.registry_commission, res.expected_commission, coalesce(res.currency, dis.currency),
                               coalesce(res.why, dis.why), dis.discrepancy_id, dis.amount, dis.status, dis.resolved_by,
                               dis.resolved_at at time zone :zone, dis.resolution, notes.comments
                        from res
                        full join dis on dis.business_date = res.business_date and dis.item_key = res.item_key
                        left join notes on notes.discrepancy_id = dis.discrepancy_id
                        order by 1, res.file_id nulls last, res.line_no, res.payment_id, res.refund_id,
                                 dis.discrepancy_id""".formatted(results, discrepancies), f)
                .bind("status", f.status());
        return new Table(
                "Расхождения",
                byClass ? "Результаты сверки: " + f.status() : "Расхождения и несовпавшие строки",
                Table.Kind.DETAIL,
                DETAIL,
                () -> sql.rows(select.sql(), select.parameters(), DETAIL));
    }
}
