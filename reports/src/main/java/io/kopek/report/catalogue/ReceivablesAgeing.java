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
 * Receivables by age as of a day ({@code to}): per customer and currency, what its invoices had outstanding at the end
 * of that day, by how many days each was past its due date then (not yet due: the due date is that day or later;
 * 0–30: 1 to 30 days past it; and so on), with the total.
 *
 * <p>What was outstanding on a past day is not on the invoice row, which holds today's paid amount, so it is taken
 * from the ledger: the customer's receivable account is debited when an invoice is issued and credited by each
 * payment, capture and cancellation of it, each posting referenced by the invoice's number. An invoice's outstanding
 * amount on the day is the balance of those postings dated up to the day's end (and up to the run's watermark); the
 * invoice row gives its due date, merchant and customer. The due date is the invoice's, which never changes.
 */
@Component
class ReceivablesAgeing implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.integer("customer_id", "Покупатель, id", false),
            Column.text("customer_name", "Покупатель", 36),
            Column.text("customer_type", "Тип покупателя", 16),
            Column.text("inn", "ИНН", 13),
            Column.text("currency", "Валюта", 7),
            Column.integer("invoices", "Счетов", true),
            Column.money("not_due", "Срок не наступил"),
            Column.money("overdue_0_30", "Просрочено 0–30 дней"),
            Column.money("overdue_31_60", "Просрочено 31–60 дней"),
            Column.money("overdue_61_90", "Просрочено 61–90 дней"),
            Column.money("overdue_over_90", "Просрочено более 90 дней"),
            Column.money("total", "Итого задолженность"));

    /**
     * Invoice numbers with what their receivable postings left outstanding at the day's end. A receivable account is
     * {@code customer:<id>:receivable:<currency>}; the join to the invoice checks it is that invoice's customer's.
     */
    private static final String SQL = """
            with outstanding as (
                select p.reference as number, p.account_code,
                       sum(case p.side when 'D' then p.amount else -p.amount end) as amount
                from ledger_posting p
                where starts_with(p.account_code, 'customer:') and p.account_code like '%%:receivable:%%'
                  and p.entry_id <= :watermark and p.posted_at < %s
                group by p.reference, p.account_code
                having sum(case p.side when 'D' then p.amount else -p.amount end) > 0
            ), aged as (
                select i.customer_id, i.currency, o.amount, cast(:to as date) - i.due_date as days_past_due
                from outstanding o
                join billing_invoice_header i on i.number = o.number
                 and o.account_code = 'customer:' || i.customer_id || ':receivable:' || i.currency
                where i.issue_date <= cast(:to as date) %s
            )
            select c.customer_id, c.name, c.type, c.inn, a.currency, count(*),
                   coalesce(sum(a.amount) filter (where a.days_past_due <= 0), 0),
                   coalesce(sum(a.amount) filter (where a.days_past_due between 1 and 30), 0),
                   coalesce(sum(a.amount) filter (where a.days_past_due between 31 and 60), 0),
                   coalesce(sum(a.amount) filter (where a.days_past_due between 61 and 90), 0),
                   coalesce(sum(a.amount) filter (where a.days_past_due > 90), 0),
                   sum(a.amount)
            from aged a
            join customer_directory c on c.customer_id = a.customer_id
            where true %s
            group by c.customer_id, c.name, c.type, c.inn, a.currency
            order by c.name, c.customer_id, a.currency
            """;

    private final ReportSql sql;
    private final BusinessCalendar calendar;

    ReceivablesAgeing(ReportSql sql, BusinessCalendar calendar) {
        this.sql = sql;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.RECEIVABLES_AGEING;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        ReportFilters f = query.filters();
        MapSqlParameterSource parameters = BusinessDays.parameters(calendar, null, f.to(), query.watermark());
        Conditions invoice = new Conditions(parameters)
                .and("i.merchant_code = :merchant", "merchant", f.merchant())
                .and("i.customer_id = :customer", "customer", f.customer());
        Conditions customer =
                new Conditions(parameters).and("c.type = :customer_type", "customer_type", f.customerType());
        String text = SQL.formatted(BusinessDays.END, invoice, customer);
        return List.of(new Table(
                "Дебиторка",
                "Дебиторская задолженность на " + f.to().format(BusinessDays.RUSSIAN_DATE),
                Table.Kind.DETAIL,
                COLUMNS,
                () -> sql.rows(text, parameters, COLUMNS)));
    }
}
