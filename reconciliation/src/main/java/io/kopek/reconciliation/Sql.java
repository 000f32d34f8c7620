package io.kopek.reconciliation;

import java.util.List;

/**
 * The reconciliation's SQL, with named parameters {@code :run}, {@code :provider}, {@code :day}, {@code :from}/
 * {@code :to} (the day's bounds in the business zone), {@code :window} (seconds), {@code :tolerance} (kopecks),
 * {@code :firstDay}/{@code :lastDay} (the adjacent days) and {@code :dayBefore}/{@code :dayAfter}, {@code :zone}, and
 * for a partition {@code :partition} of {@code :partitions} and the others' numbers {@code :otherPartitions} (an
 * {@code int[]}).
 *
 * <p>A run is {@link #PARTITION} once per partition, each in a transaction of its own and in any order or at once,
 * then {@link #CLOSE} in one transaction. A partition takes the day's lines and operations whose provider payment id
 * hashes to it ({@code reconciliation_bucket}), so everything that depends on one payment id alone happens inside one
 * partition: copies, the pairing by payment id, the ledger's other operations of a line's payment id. The close takes
 * what the partitions left unpaired and tries the keys that cross payment ids (invoice number and amount, amount and
 * time), which see the whole day; so the results are the same whatever the number of partitions.
 *
 * <p>It reads other modules' data only through the views they publish: billing's {@code billing_card_payment},
 * {@code billing_card_refund} and {@code billing_invoice_commission}, card payments' {@code card_payment_order}, the
 * intake's {@code registry_imported_line}, {@code registry_repeats_known_day} and
 * {@code registry_imported_repeated_payment_id}.
 *
 * <p>Shaped for days of a million lines: the day's lines and operations are read where they are, never copied, the
 * payment id (the key nearly everything matches by) pairs them in one hash join whose pairs become results directly,
 * and only what that leaves (a few per cent) goes through the later keys and the lookups of the unmatched; the
 * partition's sums read the day once more, and count what it matched by the payment id for the close's tally.
 */
final class Sql {

    private Sql() {}

    /** Amounts in texts for people: roubles with two decimals. */
    private static String rub(String column) {
        return "to_char(" + column + " / 100.0, 'FM999999999999990.00')";
    }

    /**
     * A registry line of the day in this partition, read where the intake keeps it ({@code registry_imported_line}:
     * the day's partition of {@code registry_line}, pruned by {@code business_date}). No statement copies the day's
     * lines or operations into a table of its own: the join by payment id reads both where they are, and the few that
     * it leaves are looked up by their keys (a million lines and operations copied into temp tables and analyzed
     * took 2.0-2.8 s of a 6.3 s run, 2026-12-05, issue 20).
     */
    private static final String LINE_OF_PARTITION = """
            l.provider = :provider and l.business_date = :day and %s""".formatted(inPartition("l.provider_payment_id"));

    /**
     * Whether a payment id falls in this partition: its bucket is none of the other partitions'. Not an equality to
     * this partition's: the planner has no statistics on a hash and takes an equality to hold for 0.5 % of the rows
     * whatever the number of partitions, so it planned a million lines as a few thousand, in nested loops (a million
     * lines in 2 partitions on 2 threads: 38-40 s against 5.1-5.8 s in one partition, 2026-12-05, issue 20); an
     * inequality to each other partition it takes to hold for nearly all rows, as for one partition, whose plans are
     * the ones measured.
     */
    private static String inPartition(String paymentId) {
        return "(:partitions = 1 or reconciliation_bucket(%s, :partitions) <> all(:otherPartitions))"
                .formatted(paymentId);
    }

    /** A line's operation as the ledger names it: a capture of a hold is a payment. */
    private static final String OPERATION_OF_LINE =
            "case l.operation when 'capture' then 'payment' else l.operation end";

    /**
     * The payment ids of several lines of the day: the import's list when the day's is known (its one file listed them,
     * ingest/V10.8), else found by hashing, not sorting, the day. A few thousand a million lines; a table of its own,
     * so that the planner sees how few they are when it joins them to the day's lines.
     */
    private static final String REGISTRY_REPEATED = """
            create temp table rec_many on commit drop as
            with known as (
                select exists (select 1 from registry_repeats_known_day k
                               where k.provider = :provider and k.business_date = :day) as listed)
            select r.provider_payment_id from registry_imported_repeated_payment_id r
            where r.provider = :provider and r.business_date = :day and (select listed from known)
            union
            select l.provider_payment_id from registry_imported_line l
            where not (select listed from known) and %s and l.provider_payment_id is not null
            group by l.provider_payment_id having count(*) > 1
            """.formatted(LINE_OF_PARTITION);

    /**
     * The lines of a payment id that has several, and those without one, ranked: lines alike in operation, amount and
     * time are copies, the first is the line ({@code copy_no} 1), the others duplicates that point at it; {@code rn}
     * numbers the distinct lines of an operation (copies share it), so that several refunds of one payment pair with
     * the ledger's in order of amount and time. Every other line of the day is its own first copy and the first of its
     * payment id. Sorting is for the few, found in one pass over the day.
     */
    private static final String REGISTRY_RANKED = """
            create temp table rec_ranked on commit drop as
            select g.*,
                   row_number() over copies as copy_no,
                   first_value(g.file_id) over copies as first_file_id,
                   first_value(g.line_no) over copies as first_line_no,
                   dense_rank() over (partition by g.provider_payment_id, g.operation
                                      order by g.amount, g.operated_at, g.registry_operation) as rn
            from (select l.file_id, l.line_no, l.provider_payment_id, l.order_number, l.amount, l.commission,
                         l.settled_amount, l.currency, l.operated_at, l.operation as registry_operation,
                         %s as operation
                  from registry_imported_line l
                  where %s
                    -- lines without a payment id (a provider that gives none) are one group, as in grouping
                    and (l.provider_payment_id in (select provider_payment_id from rec_many)
                         or l.provider_payment_id is null)) g
            window copies as (partition by g.provider_payment_id, g.operation, g.amount, g.operated_at,
                                           g.registry_operation
                              order by g.file_id, g.line_no)
            """.formatted(OPERATION_OF_LINE, LINE_OF_PARTITION);

    /**
     * The day's first copies of registry lines: the lines of payment ids with one line each as they are, the ranked
     * ones from {@link #REGISTRY_RANKED}.
     */
    private static final String FIRST_COPIES = """
            select l.file_id, l.line_no, l.provider_payment_id, %s as operation, l.amount, l.commission, l.currency,
                   1::bigint as rn
            from registry_imported_line l
            where %s and l.provider_payment_id is not null
              and not exists (select 1 from rec_many m where m.provider_payment_id = l.provider_payment_id)
            union all
            select file_id, line_no, provider_payment_id, operation, amount, commission, currency, rn
            from rec_ranked where copy_no = 1
            """.formatted(OPERATION_OF_LINE, LINE_OF_PARTITION);

    /**
     * The day's card payments and refunds in this partition, with the commission the invoice's (first line's) rule
     * expects. A payment id has one payment; its refunds are numbered in order of amount and time. Not their invoice
     * numbers: only the few the payment id leaves unpaired need one ({@link #UNPAIRED_OPERATIONS}), and reading a
     * million invoices for them was a join of its own.
     */
    private static final String LEDGER =
            """
            -- one key for both: a payment's id, or minus a refund's
            select coalesce(-o.refund_id, o.payment_id) as idx, o.payment_id, o.refund_id, o.ledger_operation,
                   o.ledger_ppid, o.ledger_amount, o.ledger_currency, o.ledger_rn,
                   case when o.ledger_operation = 'payment' and c.invoice_id is not null
                        then round(o.ledger_amount * c.commission_bp / 10000.0)::bigint + c.commission_fixed
                   end as expected_commission
            from (select 'payment'::text as ledger_operation, p.payment_id, null::bigint as refund_id,
                         p.provider_payment_id as ledger_ppid, p.invoice_id, p.amount as ledger_amount,
                         p.currency as ledger_currency, 1::bigint as ledger_rn
                  from billing_card_payment p
                  where p.provider = :provider and p.created_at >= :from and p.created_at < :to
                    and %1$s
                  union all
                  select 'refund', r.payment_id, r.refund_id, r.provider_payment_id, r.invoice_id, r.amount,
                         r.currency,
                         row_number() over (partition by r.provider_payment_id
                                            order by r.amount, r.created_at, r.refund_id)
                  from billing_card_refund r
                  where r.provider = :provider and r.created_at >= :from and r.created_at < :to
                    and %2$s) o
            left join billing_invoice_commission c on o.ledger_operation = 'payment' and c.invoice_id = o.invoice_id
            """.formatted(inPartition("p.provider_payment_id"), inPartition("r.provider_payment_id"));

    private static final String RESULT_COLUMNS = "insert into reconciliation_result (run_id, business_date, result,"
            + " file_id, line_no, payment_id, refund_id, operation, provider_payment_id, match_key, registry_amount,"
            + " ledger_amount, registry_commission, expected_commission, currency, why)\n";

    private static final String FEE_OFF = "operation = 'payment' and expected_commission is not null"
            + " and abs(commission - expected_commission) > :tolerance";

    /**
     * The result of each row of {@code source}: a registry line's and a ledger operation's columns, and the
     * {@code match_key} that paired them. A row with one side only is left for the later keys, for now as missing
     * on the other side. A plain match stores no text: its why is the key ({@link Reconciliation#results}).
     */
    private static String results(String source) {
        return RESULT_COLUMNS
                + """
                select :run, :day,
                       case when idx is null then 'missing_in_ledger'
                            when file_id is null then 'missing_in_registry'
                            when amount <> ledger_amount then 'amount_mismatch'
                            when %1$s then 'fee_mismatch'
                            else 'matched' end,
                       file_id, line_no, payment_id, refund_id, coalesce(operation, ledger_operation),
                       coalesce(provider_payment_id, ledger_ppid), match_key,
                       amount, ledger_amount, commission, expected_commission, coalesce(currency, ledger_currency),
                       case when amount <> ledger_amount
                                then format('matched by %%s; the registry says %%s, the ledger %%s', match_key, %2$s, %3$s)
                            when %1$s
                                then format('matched by %%s; commission %%s where the rule expects %%s', match_key,
                                            %4$s, %5$s)
                       end
                from %6$s
                """.formatted(
                                FEE_OFF,
                                rub("amount"),
                                rub("ledger_amount"),
                                rub("commission"),
                                rub("expected_commission"),
                                source);
    }

    /**
     * First key: the provider's payment id, one full join of the day's lines (first copies) and operations whose
     * rows go straight into the results, the unpaired ones for now as missing on the other side.
     */
    private static final String BY_PAYMENT_ID = results("""
            (select g.file_id, g.line_no, g.provider_payment_id, g.operation, g.amount, g.commission, g.currency,
                    d.idx, d.payment_id, d.refund_id, d.ledger_operation, d.ledger_ppid, d.ledger_amount,
                    d.ledger_currency, d.expected_commission,
                    case when g.file_id is not null and d.idx is not null then 'provider_payment_id' end as match_key
             from (%s) g
             full join (%s) d on d.ledger_ppid = g.provider_payment_id and d.ledger_operation = g.operation
                             and d.ledger_rn = g.rn) j
            """.formatted(FIRST_COPIES, LEDGER));

    /**
     * What the payment id left unpaired waits for the close, with what the later keys need: a line's invoice number
     * (directly or through the card payment's order number) and the ledger's other operations of its payment id
     * this day (for a status mismatch; they are all in this partition), looked up by the payment id. The lines'
     * order numbers and times are read back from the day's lines, a hash join of a few thousand against them.
     */
    private static final String UNPAIRED_LINES = """
            insert into reconciliation_unpaired_line (run_id, file_id, line_no, provider_payment_id, invoice_ref,
                                                      operation, amount, commission, currency, operated_at,
                                                      other_operations)
            with lines as (
                select l.file_id, l.line_no, l.provider_payment_id, l.order_number, %s as operation, l.amount,
                       l.commission, l.currency, l.operated_at
                from registry_imported_line l
                join rec_unpaired u on u.file_id = l.file_id and u.line_no = l.line_no
                where l.provider = :provider and l.business_date = :day)
            select :run, g.file_id, g.line_no, g.provider_payment_id, coalesce(cp.invoice_number, g.order_number),
                   g.operation, g.amount, g.commission, g.currency, g.operated_at,
                   (select string_agg(distinct o.operation, ', ')
                    from (select 'payment' as operation from billing_card_payment p
                          where p.provider = :provider and p.provider_payment_id = g.provider_payment_id
                            and p.created_at >= :from and p.created_at < :to
                          union all
                          select 'refund' from billing_card_refund r
                          where r.provider = :provider and r.provider_payment_id = g.provider_payment_id
                            and r.created_at >= :from and r.created_at < :to) o
                    where o.operation <> g.operation)
            from lines g
            left join (select c.order_number, c.invoice_number from card_payment_order c
                       where c.provider = :provider) cp on cp.order_number = g.order_number
            """.formatted(OPERATION_OF_LINE);

    /**
     * An operation the payment id left unpaired has all it needs in its result but its invoice number and time,
     * which it looks up by its own key: a few thousand lookups instead of a pass over the day's operations.
     */
    private static final String UNPAIRED_OPERATIONS = """
            insert into reconciliation_unpaired_operation (run_id, idx, payment_id, refund_id, invoice_number,
                                                           ledger_operation, ledger_ppid, ledger_amount,
                                                           ledger_currency, ledger_at, expected_commission)
            select :run, coalesce(-r.refund_id, r.payment_id), r.payment_id, r.refund_id, o.invoice_number,
                   r.operation, r.provider_payment_id, r.ledger_amount, r.currency, o.created_at,
                   r.expected_commission
            from reconciliation_result r
            cross join lateral (
                select p.invoice_number, p.created_at from billing_card_payment p
                where r.refund_id is null and p.payment_id = r.payment_id
                union all
                select f.invoice_number, f.created_at from billing_card_refund f where f.refund_id = r.refund_id) o
            where r.business_date = :day and r.run_id = :run and r.result = 'missing_in_registry'
            """;

    /**
     * The partition's lines per currency, read once for its share of the day's counts and settlement
     * ({@link #PARTITION_DONE}) and for what it matched ({@link #PARTITION_MATCHED}).
     */
    private static final String PARTITION_LINES = """
            create temp table rec_lines on commit drop as
            select l.currency, count(*) as lines, coalesce(sum(l.amount), 0) as amount,
                   coalesce(sum(l.commission), 0) as commission, coalesce(sum(l.settled_amount), 0) as settles
            from registry_imported_line l where %s
            group by l.currency
            """.formatted(LINE_OF_PARTITION);

    /**
     * The results that the tally reads row by row: all but the payment id's matches, which the partitions count
     * ({@link #PARTITION_MATCHED}). Written as the predicate of {@code reconciliation_result_unmatched}
     * (reconciliation/V12.6), so that the planner reads them through it.
     */
    private static final String NOT_MATCHED_BY_PAYMENT_ID =
            "(result <> 'matched' or match_key <> 'provider_payment_id')";

    /**
     * What the partition matched by the payment id, per currency, counted without reading its results back (a
     * million rows, 0.5-0.8 s in the close, 2026-12-05, issue 20): each first copy of a line of its share has one
     * result of {@link #BY_PAYMENT_ID}, and it is matched unless it is missing in the ledger or paired with another
     * amount or commission; those few, with the copies, are taken from the partition's lines. Before the unpaired
     * results are removed: they are among those few. The results of the other partitions' lines that have committed
     * by now are told apart by their payment id's partition, as their lines are.
     */
    private static final String PARTITION_MATCHED =
            """
            insert into reconciliation_partition_matched (run_id, partition_no, currency, lines, amount, commission)
            select :run, :partition, t.currency, t.lines - coalesce(n.lines, 0), t.amount - coalesce(n.amount, 0),
                   t.commission - coalesce(n.commission, 0)
            from rec_lines t
            left join (select x.currency, count(*) as lines, coalesce(sum(x.amount), 0) as amount,
                              coalesce(sum(x.commission), 0) as commission
                       from (select currency, amount, commission from rec_ranked where copy_no > 1
                             union all
                             select r.currency, r.registry_amount, r.registry_commission
                             from reconciliation_result r
                             where r.business_date = :day and r.run_id = :run and %s
                               and r.result in ('missing_in_ledger', 'amount_mismatch', 'fee_mismatch')
                               and %s) x
                       group by x.currency) n on n.currency = t.currency
            """.formatted(NOT_MATCHED_BY_PAYMENT_ID, inPartition("r.provider_payment_id"));

    /**
     * The partition done, with its share of the day's counts and settlement: what the registry settles (each line's
     * signed settlement, first copies: the day's less the ranked copies') and what the ledger expects the provider to
     * settle (payments net of the expected commission, less refunds). Written last in the partition's transaction:
     * it is its commit mark.
     */
    private static final String PARTITION_DONE = """
            update reconciliation_partition p
               set registry_lines = r.lines, ledger_operations = d.operations,
                   registry_settles = r.settles - c.settles, registry_commission = r.commission - c.commission,
                   ledger_expects = d.expects, finished_at = clock_timestamp()
            from (select coalesce(sum(lines), 0) as lines, coalesce(sum(settles), 0) as settles,
                         coalesce(sum(commission), 0) as commission
                  from rec_lines) r,
                 (select coalesce(sum(settled_amount), 0) as settles, coalesce(sum(commission), 0) as commission
                  from rec_ranked where copy_no > 1) c,
                 (select count(*) as operations,
                         coalesce(sum(case when ledger_operation = 'refund' then -ledger_amount
                                           else ledger_amount - coalesce(expected_commission, 0) end), 0) as expects
                  from (%s) d) d
            where p.run_id = :run and p.partition_no = :partition
            """.formatted(LEDGER);

    /** The close's view of what every partition left unpaired. */
    private static final String REGISTRY_LEFT = """
            create temp table rec_reg_left on commit drop as
            select file_id, line_no, provider_payment_id, invoice_ref, operation, amount, commission, currency,
                   operated_at, other_operations
            from reconciliation_unpaired_line where run_id = :run
            """;

    private static final String LEDGER_LEFT = """
            create temp table rec_led_left on commit drop as
            select idx, payment_id, refund_id, invoice_number, ledger_operation, ledger_ppid, ledger_amount,
                   ledger_currency, ledger_at, expected_commission
            from reconciliation_unpaired_operation where run_id = :run
            """;

    private static final String UNPAIRED_REGISTRY =
            "not exists (select 1 from rec_pair x where x.file_id = g.file_id and x.line_no = g.line_no)";
    private static final String UNPAIRED_LEDGER = "not exists (select 1 from rec_pair x where x.idx = d.idx)";

    /** Second key: our invoice number (directly or through the card payment's order number) and the amount. */
    private static final String BY_INVOICE_AND_AMOUNT = """
            insert into rec_pair
            select r.file_id, r.line_no, l.idx, 'invoice_number_amount'
            from (select g.file_id, g.line_no, g.invoice_ref, g.operation, g.amount,
                         row_number() over (partition by g.invoice_ref, g.operation, g.amount
                                            order by g.operated_at, g.file_id, g.line_no) as rn
                  from rec_reg_left g where g.invoice_ref is not null and %s) r
            join (select d.idx, d.invoice_number, d.ledger_operation, d.ledger_amount,
                         row_number() over (partition by d.invoice_number, d.ledger_operation, d.ledger_amount
                                            order by d.ledger_at, d.idx) as rn
                  from rec_led_left d where d.invoice_number is not null and %s) l
              on l.invoice_number = r.invoice_ref and l.ledger_operation = r.operation and l.ledger_amount = r.amount
             and l.rn = r.rn
            """.formatted(UNPAIRED_REGISTRY, UNPAIRED_LEDGER);

    /** Last: the same amount within the time window, unless both carry payment ids that differ. */
    private static final String BY_AMOUNT_AND_TIME = """
            insert into rec_pair
            select r.file_id, r.line_no, l.idx, 'amount_time'
            from (select g.file_id, g.line_no, g.provider_payment_id, g.operation, g.amount, g.operated_at,
                         row_number() over (partition by g.operation, g.amount
                                            order by g.operated_at, g.file_id, g.line_no) as rn
                  from rec_reg_left g where %s) r
            join (select d.idx, d.ledger_ppid, d.ledger_operation, d.ledger_amount, d.ledger_at,
                         row_number() over (partition by d.ledger_operation, d.ledger_amount
                                            order by d.ledger_at, d.idx) as rn
                  from rec_led_left d where %s) l
              on l.ledger_operation = r.operation and l.ledger_amount = r.amount and l.rn = r.rn
            where abs(extract(epoch from r.operated_at - l.ledger_at)) <= :window
              and (r.provider_payment_id is null or l.ledger_ppid is null or r.provider_payment_id = l.ledger_ppid)
            """.formatted(UNPAIRED_REGISTRY, UNPAIRED_LEDGER);

    private static final String PAIRED_LATER =
            results("rec_pair join rec_reg_left using (file_id, line_no) join rec_led_left using (idx)");

    private static final String DUPLICATES = RESULT_COLUMNS + """
            select :run, :day, 'duplicate_in_registry', file_id, line_no, null, null, operation, provider_payment_id, null,
                   amount, null, commission, null, currency,
                   format('the same %%s of %%s at %%s is line %%s of file %%s', operation, %s, operated_at,
                          first_line_no, first_file_id)
            from rec_ranked where copy_no > 1
            """.formatted(rub("amount"));

    /**
     * A line no key matched: a status mismatch when the ledger has other operations of its payment id this day,
     * the other day when the ledger has it on another, else missing in the ledger.
     */
    private static final String UNMATCHED_REGISTRY = RESULT_COLUMNS + """
            select :run, :day,
                   case when g.other_operations is not null then 'status_mismatch'
                        when o.payment_id is not null then 'other_day'
                        else 'missing_in_ledger' end,
                   g.file_id, g.line_no, o.payment_id, o.refund_id, g.operation, g.provider_payment_id, null,
                   g.amount, o.amount, g.commission, null, g.currency,
                   case when g.other_operations is not null
                            then format('a %%s in the registry, but the ledger has only %%s of payment %%s this day',
                                        g.operation, g.other_operations, g.provider_payment_id)
                        when o.payment_id is not null
                            then format('the ledger has this %%s on %%s', g.operation, o.day)
                        else 'nothing in the ledger matches it by payment id, invoice number, or amount and time' end
            from rec_reg_left g
            left join lateral (
                select p.payment_id, null::bigint as refund_id, p.amount,
                       (p.created_at at time zone :zone)::date as day
                from billing_card_payment p
                where g.operation = 'payment' and p.provider = :provider
                  and p.provider_payment_id = g.provider_payment_id
                union all
                select r.payment_id, r.refund_id, r.amount, (r.created_at at time zone :zone)::date
                from billing_card_refund r
                where g.operation = 'refund' and r.provider = :provider
                  and r.provider_payment_id = g.provider_payment_id and r.amount = g.amount
                  and not (r.created_at >= :from and r.created_at < :to)
                limit 1) o on true
            where %s
            """.formatted(UNPAIRED_REGISTRY);

    /** An operation no key matched: the other day when an adjacent day's registry has it, else missing there. */
    private static final String UNMATCHED_LEDGER =
            RESULT_COLUMNS + """
            select :run, :day,
                   case when a.business_date is not null then 'other_day' else 'missing_in_registry' end,
                   a.file_id, a.line_no, d.payment_id, d.refund_id, d.ledger_operation, d.ledger_ppid, null,
                   a.amount, d.ledger_amount, null, d.expected_commission, d.ledger_currency,
                   case when a.business_date is not null
                            then format('the %%s registry of %%s has it', :provider, a.business_date)
                        else format('no line of the %%s registry matches this %%s of %%s', :provider,
                                    d.ledger_operation, %s) end
            from rec_led_left d
            left join (
                select distinct on (u.idx) u.idx, l.file_id, l.line_no, l.business_date, l.amount
                from rec_led_left u
                join registry_imported_line l
                  on l.provider_payment_id = u.ledger_ppid
                 and (l.operation = u.ledger_operation or (l.operation = 'capture' and u.ledger_operation = 'payment'))
                where l.provider = :provider
                  -- two ranges the planner prunes the day's partitions by, not a range less the day: a partition
                  -- holds a range and '<>' prunes nothing, so the lookup read the whole day for nothing (a million
                  -- lines 0.11-0.15 s of the close, 2026-12-05)
                  and (l.business_date between :firstDay and :dayBefore
                       or l.business_date between :dayAfter and :lastDay)
                order by u.idx, l.business_date, l.file_id, l.line_no) a on a.idx = d.idx
            where %s
            """.formatted(rub("d.ledger_amount"), UNPAIRED_LEDGER);

    /**
     * A partition's statements in order, in its transaction (after its {@code reconciliation_partition} row is
     * claimed): its lines and operations, the pairing by payment id straight into the results, the copies, and
     * what is left unpaired moved aside for the close.
     */
    static final List<String> PARTITION = List.of(
            REGISTRY_REPEATED,
            REGISTRY_RANKED,
            // The join's inputs are unions, without statistics: the planner takes a key for one of a few hundred
            // values, costs hashing a million rows as if each bucket held thousands, and sorts both sides (a million
            // text keys each, under the database's collation, 125 MB each) for a merge join instead: 5.35 s against
            // 5.07 s hashed (100 MB), measured once on a busy machine; later pairs there did not tell them apart.
            "set local enable_mergejoin = off",
            BY_PAYMENT_ID,
            "set local enable_mergejoin to default",
            DUPLICATES,
            // the lines left, in a table the planner has counted: a few thousand to hash, not one to look up the day
            // for each by a scan (the results' estimates are of a partition not analyzed since its last run)
            "create temp table rec_unpaired on commit drop as select file_id, line_no from reconciliation_result"
                    + " where business_date = :day and run_id = :run and result = 'missing_in_ledger'",
            "analyze rec_unpaired",
            UNPAIRED_LINES,
            UNPAIRED_OPERATIONS,
            // A currency or two among a million lines: hashed, not sorted. The planner takes the partition's share of
            // the day for a few thousand lines (the hash of the payment id, again) and sorted them: 0.48-0.55 s against
            // 0.29-0.31 s hashed (2026-12-05).
            "set local enable_sort = off",
            PARTITION_LINES,
            "set local enable_sort to default",
            PARTITION_MATCHED,
            // what was unpaired is not a result yet: the close decides; only this transaction's rows are visible to it
            // among the uncommitted, and every committed partition has removed its own
            "delete from reconciliation_result where business_date = :day and run_id = :run"
                    + " and result in ('missing_in_ledger', 'missing_in_registry')",
            PARTITION_DONE);

    /** The close's matching, in its transaction: the keys that cross payment ids over the whole day's unpaired. */
    static final List<String> CLOSE = List.of(
            REGISTRY_LEFT,
            LEDGER_LEFT,
            "analyze rec_reg_left",
            "analyze rec_led_left",
            "create temp table rec_pair (file_id bigint, line_no integer, idx bigint, match_key text) on commit drop",
            BY_INVOICE_AND_AMOUNT,
            BY_AMOUNT_AND_TIME,
            "analyze rec_pair",
            PAIRED_LATER,
            UNMATCHED_REGISTRY,
            UNMATCHED_LEDGER,
            "delete from reconciliation_unpaired_line where run_id = :run",
            "delete from reconciliation_unpaired_operation where run_id = :run");

    /** Claims a partition for this transaction; no row: it is done (or being done, and this waited for it). */
    static final String CLAIM = """
            insert into reconciliation_partition (run_id, partition_no, registry_lines, ledger_operations,
                                                  registry_settles, registry_commission, ledger_expects)
            values (:run, :partition, 0, 0, 0, 0, 0)
            on conflict do nothing
            """;

    /**
     * Per result and currency: how many, how much, and the commission of the matched lines. The payment id's matches
     * as the partitions counted them ({@link #PARTITION_MATCHED}), the rest (a few per cent) read through the partial
     * index of what they did not count.
     */
    static final String TALLY = """
            select result, currency, count(*) as n, coalesce(sum(coalesce(registry_amount, ledger_amount)), 0) as amount,
                   coalesce(sum(registry_commission) filter (where result = 'matched' and file_id is not null), 0)
                       as matched_commission
            from reconciliation_result where business_date = :day and run_id = :run and %s
            group by result, currency
            union all
            select 'matched', currency, sum(lines), sum(amount), sum(commission)
            from reconciliation_partition_matched where run_id = :run
            group by currency
            """.formatted(NOT_MATCHED_BY_PAYMENT_ID);

    /**
     * Per currency, the commission of the lines this run matched that no earlier run of the day matched. Every
     * run posts what it matched in its own transaction, so "matched before" is "posted before".
     */
    static final String FEES = """
            select r.currency, sum(r.registry_commission) as commission
            from reconciliation_result r
            where r.business_date = :day and r.run_id = :run and r.result = 'matched' and r.file_id is not null
              and not exists (select 1 from reconciliation_run e
                              join reconciliation_result er on er.business_date = :day and er.run_id = e.id
                              where e.provider = :provider and e.business_date = :day and e.status = 'done'
                                and e.id <> :run and er.result = 'matched'
                                and er.file_id = r.file_id and er.line_no = r.line_no)
            group by r.currency
            """;

    static final String DISCREPANCIES = """
            insert into discrepancy (provider, business_date, item_key, result, why, amount, currency, status,
                                     first_run_id, last_run_id)
            select :provider, :day,
                   case when file_id is not null then 'line:' || file_id || ':' || line_no
                        when refund_id is not null then 'refund:' || refund_id
                        else 'payment:' || payment_id end,
                   result, why, coalesce(registry_amount, ledger_amount), currency, 'open', :run, :run
            from reconciliation_result where business_date = :day and run_id = :run and result <> 'matched'
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

    /** The day's counts and settlement: the partitions' shares added up. */
    static final String SETTLEMENT = """
            select coalesce(sum(registry_lines), 0) as registry_lines,
                   coalesce(sum(ledger_operations), 0) as ledger_operations,
                   coalesce(sum(registry_settles), 0) as registry_settles,
                   coalesce(sum(ledger_expects), 0) as ledger_expects,
                   coalesce(sum(registry_commission), 0) as registry_commission
            from reconciliation_partition where run_id = :run
            """;
}
