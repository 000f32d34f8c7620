package io.kopek.reconciliation;

import java.util.List;

/**
 * The reconciliation's SQL, run in one transaction with named parameters {@code :run}, {@code :provider},
 * {@code :day}, {@code :from}/{@code :to} (the day's bounds in the business zone), {@code :window} (seconds),
 * {@code :tolerance} (kopecks), {@code :firstDay}/{@code :lastDay} (the adjacent days).
 */
final class Sql {

    private Sql() {}

    /** Amounts in texts for people: roubles with two decimals. */
    private static String rub(String column) {
        return "to_char(" + column + " / 100.0, 'FM999999999999990.00')";
    }

    private static final String REGISTRY = """
            create temp table rec_reg on commit drop as
            select l.file_id, l.line_no, l.provider_payment_id, l.order_number,
                   coalesce(cp.invoice_number, l.order_number) as invoice_ref,
                   -- a capture of a hold is a payment in the ledger
                   case l.operation when 'capture' then 'payment' else l.operation end as operation,
                   l.amount, l.commission, l.settled_amount, l.currency, l.operated_at,
                   row_number() over (partition by l.provider_payment_id, l.operation, l.amount, l.operated_at
                                      order by l.file_id, l.line_no) as copy_no
            from registry_file f
            join registry_line l on l.file_id = f.id
            left join (select c.order_number, i.number as invoice_number
                       from card_payment c join invoice i on i.id = c.invoice_id
                       where c.provider = :provider) cp on cp.order_number = l.order_number
            where f.provider = :provider and f.business_date = :day and f.status = 'imported'
            """;

    private static final String LEDGER = """
            create temp table rec_led on commit drop as
            with ops as (
                select 'payment'::text as operation, p.id as payment_id, null::bigint as refund_id,
                       p.provider_payment_id, p.invoice_id, p.amount, p.currency, p.created_at as at
                from payment p
                where p.method = 'card' and p.provider = :provider and p.created_at >= :from and p.created_at < :to
                union all
                select 'refund', r.payment_id, r.id, p.provider_payment_id, r.invoice_id, r.amount, r.currency,
                       r.created_at
                from refund r join payment p on p.id = r.payment_id
                where p.method = 'card' and p.provider = :provider and r.created_at >= :from and r.created_at < :to),
            first_rule as (
                select distinct on (il.invoice_id) il.invoice_id, br.commission_bp, br.commission_fixed
                from invoice_line il join billing_rule br on br.id = il.rule_id
                where il.invoice_id in (select invoice_id from ops where operation = 'payment')
                order by il.invoice_id, il.line_no)
            select row_number() over () as idx, o.*, i.number as invoice_number,
                   case when o.operation = 'payment' and fr.invoice_id is not null
                        then round(o.amount * fr.commission_bp / 10000.0)::bigint + fr.commission_fixed
                   end as expected_commission
            from ops o
            left join invoice i on i.id = o.invoice_id
            left join first_rule fr on fr.invoice_id = o.invoice_id
            """;

    /** First key: the provider's payment id (refunds of one payment paired in order of amount and time). */
    private static final String BY_PAYMENT_ID = """
            create temp table rec_pair on commit drop as
            select r.file_id, r.line_no, l.idx, 'provider_payment_id'::text as match_key
            from (select file_id, line_no, provider_payment_id, operation,
                         row_number() over (partition by provider_payment_id, operation
                                            order by amount, operated_at, file_id, line_no) as rn
                  from rec_reg where copy_no = 1 and provider_payment_id is not null) r
            join (select idx, provider_payment_id, operation,
                         row_number() over (partition by provider_payment_id, operation order by amount, at, idx) as rn
                  from rec_led where provider_payment_id is not null) l
              on l.provider_payment_id = r.provider_payment_id and l.operation = r.operation and l.rn = r.rn
            """;

    private static final String UNPAIRED_REGISTRY =
            "g.copy_no = 1 and not exists (select 1 from rec_pair x where x.file_id = g.file_id and x.line_no = g.line_no)";
    private static final String UNPAIRED_LEDGER = "not exists (select 1 from rec_pair x where x.idx = d.idx)";

    /** Second key: our invoice number (directly or through the card payment's order number) and the amount. */
    private static final String BY_INVOICE_AND_AMOUNT = """
            insert into rec_pair
            select r.file_id, r.line_no, l.idx, 'invoice_number_amount'
            from (select g.file_id, g.line_no, g.invoice_ref, g.operation, g.amount,
                         row_number() over (partition by g.invoice_ref, g.operation, g.amount
                                            order by g.operated_at, g.file_id, g.line_no) as rn
                  from rec_reg g where g.invoice_ref is not null and %s) r
            join (select d.idx, d.invoice_number, d.operation, d.amount,
                         row_number() over (partition by d.invoice_number, d.operation, d.amount
                                            order by d.at, d.idx) as rn
                  from rec_led d where d.invoice_number is not null and %s) l
              on l.invoice_number = r.invoice_ref and l.operation = r.operation and l.amount = r.amount
             and l.rn = r.rn
            """.formatted(UNPAIRED_REGISTRY, UNPAIRED_LEDGER);

    /** Last: the same amount within the time window, unless both carry payment ids that differ. */
    private static final String BY_AMOUNT_AND_TIME = """
            insert into rec_pair
            select r.file_id, r.line_no, l.idx, 'amount_time'
            from (select g.file_id, g.line_no, g.provider_payment_id, g.operation, g.amount, g.operated_at,
                         row_number() over (partition by g.operation, g.amount
                                            order by g.operated_at, g.file_id, g.line_no) as rn
                  from rec_reg g where %s) r
            join (select d.idx, d.provider_payment_id, d.operation, d.amount, d.at,
                         row_number() over (partition by d.operation, d.amount order by d.at, d.idx) as rn
                  from rec_led d where %s) l
              on l.operation = r.operation and l.amount = r.amount and l.rn = r.rn
            where abs(extract(epoch from r.operated_at - l.at)) <= :window
              and (r.provider_payment_id is null or l.provider_payment_id is null
                   or r.provider_payment_id = l.provider_payment_id)
            """.formatted(UNPAIRED_REGISTRY, UNPAIRED_LEDGER);

    private static final String RESULT_COLUMNS = "insert into reconciliation_result (run_id, result, file_id, line_no,"
            + " payment_id, refund_id, operation, provider_payment_id, match_key, registry_amount, ledger_amount,"
            + " registry_commission, expected_commission, currency, why)\n";

    private static final String FEE_OFF = "g.operation = 'payment' and d.expected_commission is not null"
            + " and abs(g.commission - d.expected_commission) > :tolerance";

    private static final String PAIRED = RESULT_COLUMNS
            + """
            select :run,
                   case when g.amount <> d.amount then 'amount_mismatch'
                        when %1$s then 'fee_mismatch'
                        else 'matched' end,
                   g.file_id, g.line_no, d.payment_id, d.refund_id, g.operation,
                   coalesce(g.provider_payment_id, d.provider_payment_id), x.match_key,
                   g.amount, d.amount, g.commission, d.expected_commission, g.currency,
                   case when g.amount <> d.amount
                            then format('matched by %%s; the registry says %%s, the ledger %%s', x.match_key, %2$s, %3$s)
                        when %1$s
                            then format('matched by %%s; commission %%s where the rule expects %%s', x.match_key,
                                        %4$s, %5$s)
                        else format('matched by %%s', x.match_key) end
            from rec_pair x
            join rec_reg g on g.file_id = x.file_id and g.line_no = x.line_no
            join rec_led d on d.idx = x.idx
            """.formatted(
                    FEE_OFF, rub("g.amount"), rub("d.amount"), rub("g.commission"), rub("d.expected_commission"));

    private static final String DUPLICATES = RESULT_COLUMNS + """
            select :run, 'duplicate_in_registry', g.file_id, g.line_no, null, null, g.operation,
                   g.provider_payment_id, null, g.amount, null, g.commission, null, g.currency,
                   format('the same %%s of %%s at %%s is line %%s of file %%s', g.operation, %s, g.operated_at,
                          f.line_no, f.file_id)
            from rec_reg g
            join rec_reg f on f.copy_no = 1 and f.provider_payment_id is not distinct from g.provider_payment_id
                          and f.operation = g.operation and f.amount = g.amount and f.operated_at = g.operated_at
            where g.copy_no > 1
            """.formatted(rub("g.amount"));

    private static final String UNMATCHED_REGISTRY = RESULT_COLUMNS + """
            select :run,
                   case when s.operations is not null then 'status_mismatch'
                        when o.payment_id is not null then 'other_day'
                        else 'missing_in_ledger' end,
                   g.file_id, g.line_no, o.payment_id, o.refund_id, g.operation, g.provider_payment_id, null,
                   g.amount, o.amount, g.commission, null, g.currency,
                   case when s.operations is not null
                            then format('a %%s in the registry, but the ledger has only %%s of payment %%s this day',
                                        g.operation, s.operations, g.provider_payment_id)
                        when o.payment_id is not null
                            then format('the ledger has this %%s on %%s', g.operation, o.day)
                        else 'nothing in the ledger matches it by payment id, invoice number, or amount and time' end
            from rec_reg g
            left join lateral (select string_agg(distinct d.operation, ', ') as operations from rec_led d
                               where d.provider_payment_id = g.provider_payment_id
                                 and d.operation <> g.operation) s on true
            left join lateral (
                select p.id as payment_id, null::bigint as refund_id, p.amount,
                       (p.created_at at time zone :zone)::date as day
                from payment p
                where g.operation = 'payment' and p.method = 'card' and p.provider = :provider
                  and p.provider_payment_id = g.provider_payment_id
                union all
                select r.payment_id, r.id, r.amount, (r.created_at at time zone :zone)::date
                from refund r join payment p on p.id = r.payment_id
                where g.operation = 'refund' and p.method = 'card' and p.provider = :provider
                  and p.provider_payment_id = g.provider_payment_id and r.amount = g.amount
                  and not (r.created_at >= :from and r.created_at < :to)
                limit 1) o on true
            where %s
            """.formatted(UNPAIRED_REGISTRY);

    private static final String UNMATCHED_LEDGER = RESULT_COLUMNS + """
            select :run,
                   case when a.business_date is not null then 'other_day' else 'missing_in_registry' end,
                   a.file_id, a.line_no, d.payment_id, d.refund_id, d.operation, d.provider_payment_id, null,
                   a.amount, d.amount, null, d.expected_commission, d.currency,
                   case when a.business_date is not null
                            then format('the %%s registry of %%s has it', :provider, a.business_date)
                        else format('no line of the %%s registry matches this %%s of %%s', :provider, d.operation,
                                    %s) end
            from rec_led d
            left join lateral (
                select l.file_id, l.line_no, f.business_date, l.amount
                from registry_file f join registry_line l on l.file_id = f.id
                where f.provider = :provider and f.status = 'imported'
                  and f.business_date between :firstDay and :lastDay and f.business_date <> :day
                  and l.provider_payment_id = d.provider_payment_id
                  and (l.operation = d.operation or (l.operation = 'capture' and d.operation = 'payment'))
                limit 1) a on true
            where %s
            """.formatted(rub("d.amount"), UNPAIRED_LEDGER);

    static final List<String> MATCHING = List.of(
            REGISTRY,
            "analyze rec_reg",
            LEDGER,
            "create index on rec_led (provider_payment_id)",
            "analyze rec_led",
            BY_PAYMENT_ID,
            "analyze rec_pair",
            BY_INVOICE_AND_AMOUNT,
            BY_AMOUNT_AND_TIME,
            "analyze rec_pair",
            PAIRED,
            DUPLICATES,
            UNMATCHED_REGISTRY,
            UNMATCHED_LEDGER,
            // A day's results arrive by the million: without fresh statistics the steps that read them back
            // (commissions, discrepancies, the summary) are planned as if the table were empty.
            "analyze reconciliation_result");

    /**
     * The commissions to post, per currency: of the lines this run matched that no earlier run of the day matched.
     * Every run posts what it matched in its own transaction, so "matched before" is "posted before".
     */
    static final List<String> FEES = List.of("""
            create temp table rec_posted on commit drop as
            select distinct er.file_id, er.line_no
            from reconciliation_run e join reconciliation_result er on er.run_id = e.id
            where e.provider = :provider and e.business_date = :day and e.status = 'done' and e.id <> :run
              and er.result = 'matched' and er.file_id is not null
            """, "analyze rec_posted", """
            select :keyPrefix || g.currency as posting_key, g.currency, sum(g.commission) as commission
            from reconciliation_result r
            join rec_reg g on g.file_id = r.file_id and g.line_no = r.line_no
            where r.run_id = :run and r.result = 'matched' and r.file_id is not null
              and not exists (select 1 from rec_posted x where x.file_id = r.file_id and x.line_no = r.line_no)
            group by g.currency
            """);

    static final String DISCREPANCIES = """
            insert into discrepancy (provider, business_date, item_key, result, why, amount, currency, status,
                                     first_run_id, last_run_id)
            select :provider, :day,
                   case when file_id is not null then 'line:' || file_id || ':' || line_no
                        when refund_id is not null then 'refund:' || refund_id
                        else 'payment:' || payment_id end,
                   result, why, coalesce(registry_amount, ledger_amount), currency, 'open', :run, :run
            from reconciliation_result where run_id = :run and result <> 'matched'
            on conflict (provider, business_date, item_key) do update
               set result = excluded.result, why = excluded.why, amount = excluded.amount,
                   last_run_id = excluded.last_run_id,
                   status = case when discrepancy.status = 'cleared' then 'open' else discrepancy.status end
            """;

    /** Open items this run no longer finds (a late registry arrived, a payment was recorded) clear themselves. */
    static final String CLEARED = """
            update discrepancy set status = 'cleared', last_run_id = :run
            where provider = :provider and business_date = :day and status = 'open' and last_run_id <> :run
            """;

    /**
     * What the registry settles (each line's signed settlement) beside what the ledger expects the provider to
     * settle (payments net of the expected commission, less refunds).
     */
    static final String SETTLEMENT = """
            select (select coalesce(sum(settled_amount), 0) from rec_reg where copy_no = 1) as registry_settles,
                   (select coalesce(sum(case when operation = 'refund' then -amount
                                             else amount - coalesce(expected_commission, 0) end), 0)
                    from rec_led) as ledger_expects,
                   (select coalesce(sum(commission), 0) from rec_reg where copy_no = 1) as registry_commission
            """;
}
