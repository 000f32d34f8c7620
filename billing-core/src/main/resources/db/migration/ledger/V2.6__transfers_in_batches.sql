-- ledger_reserve and ledger_post_pending (V2.3, V2.4) for many transfers in one call, for the API's group commit
-- (billing/V6.24): each kind of row written for the whole batch by one statement. A PL/pgSQL statement is a query
-- of its own (a plan looked up, locks, an executor started and ended, a snapshot), and a statement-level trigger
-- (ledger_entry_balanced) runs once a statement: a batch of n transfers done one by one costs n times each.
--
-- Each function first checks, in one query, that every transfer of the batch is one the one-by-one function would
-- make without a refusal, taken in the batch's order (so an account used by several transfers must cover them all,
-- as it would one after the other). Only then does it write in bulk, the same rows and totals. When any transfer
-- falls outside that plain case, the batch is done one by one by the V2.3/V2.4 function, which refuses exactly as
-- it always does; so these functions change how the work is done, never what is accepted. The checks below restate
-- the one-by-one functions' conditions for acceptance; a rule added there must be added here
-- (io.kopek.ledger.LedgerBatchesTest and io.kopek.billing.HoldBatchesInBulkTest hold a batch done both ways to the
-- same rows, totals and refusals).
--
-- Plans: a connection plans these statements once (force_generic_plan: planning each call would cost more than
-- running it), and the plan is made for an array of unknown length on tables of whatever size they had then. Made
-- on a new database, such a plan scans ledger_account or ledger_transaction whole and hashes them, and keeps doing
-- so as they grow: measured on the API's benchmark, PostgreSQL's CPU a pair rose from 1.7 ms to 19 ms within a
-- minute. enable_seqscan = off leaves the planner index look-ups only, which is all these statements need.

-- ledger_reserve for each i-th element of the arrays, in order. The ids must be new: for a reservation that may be
-- a repeat (ledger_reserve returns false for it), call ledger_reserve.
create function ledger_reserve_all(p_ids uuid[], p_debits text[], p_credits text[], p_amounts bigint[],
                                   p_currencies text[], p_expires_at timestamptz[], p_credit_limits bigint[])
returns void language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (billing/V6.23)
    v_plain boolean;
    v_debit_ids bigint[];
    v_credit_ids bigint[];
begin
    -- In id order, as every posting locks accounts (V2.3), so that concurrent postings cannot deadlock.
    perform 1 from ledger_account where code = any(p_debits || p_credits) order by id for update;
    -- bool_and skips nulls: each term is made false when it is null, so that no unknown passes.
    select coalesce(bool_and(coalesce(d.id is not null and c.id is not null and d.currency = t.currency
                             and c.currency = t.currency and t.amount > 0 and t.credit_limit >= 0
                             -- ledger_reserve: a credit-normal debit account's available, less the batch's earlier
                             -- reservations on it, plus this one's credit limit, covers this one
                             and (d.normal_side <> 'C' or d.allow_negative
                                  or d.credits_posted - d.debits_posted - d.debits_pending - t.reserved
                                     + t.credit_limit >= 0), false)), true),
           array_agg(d.id order by t.n), array_agg(c.id order by t.n)
      into v_plain, v_debit_ids, v_credit_ids
      from (select u.*, sum(u.amount) over (partition by u.debit order by u.n) as reserved
              from unnest(p_debits, p_credits, p_amounts, p_currencies, p_credit_limits) with ordinality
                   as u(debit, credit, amount, currency, credit_limit, n)) t
      left join ledger_account d on d.code = t.debit
      left join ledger_account c on c.code = t.credit;
    if not v_plain then
        for i in 1 .. coalesce(array_length(p_ids, 1), 0) loop
            v_done := ledger_reserve(p_ids[i], p_debits[i], p_credits[i], p_amounts[i], p_currencies[i],
                                     p_expires_at[i], p_credit_limits[i]);
        end loop;
        return;
    end if;
    insert into ledger_pending_transfer (id, debit_account_id, credit_account_id, amount, currency, status,
                                         expires_at, credit_limit)
    select t.id, t.debit_id, t.credit_id, t.amount, t.currency, 'pending', t.expires_at, t.credit_limit
      from unnest(p_ids, v_debit_ids, v_credit_ids, p_amounts, p_currencies, p_expires_at, p_credit_limits)
           with ordinality as t(id, debit_id, credit_id, amount, currency, expires_at, credit_limit, n)
     order by t.n;
    update ledger_account a
       set debits_pending = a.debits_pending + s.debits, credits_pending = a.credits_pending + s.credits
      -- each reservation's two sides
      from (select case e.side when 'D' then t.debit_id else t.credit_id end as account_id,
                   sum(case e.side when 'D' then t.amount else 0 end) as debits,
                   sum(case e.side when 'C' then t.amount else 0 end) as credits
              from unnest(v_debit_ids, v_credit_ids, p_amounts) as t(debit_id, credit_id, amount)
             cross join (values ('D'), ('C')) as e(side)
             group by 1) s
     where a.id = s.account_id;
end $$;

-- ledger_post_pending (V2.4) for each i-th element of the arrays, in order, as ledger transactions of one kind.
create function ledger_post_pending_all(p_ids uuid[], p_amounts bigint[], p_transactions uuid[], p_kind text,
                                        p_references text[], p_now timestamptz)
returns void language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (billing/V6.23)
    v_count integer := coalesce(array_length(p_ids, 1), 0);
    v_plain boolean;
begin
    perform 1 from ledger_pending_transfer where id = any(p_ids) order by id for update;
    perform 1 from ledger_account
     where id in (select unnest(array[p.debit_account_id, p.credit_account_id])
                    from ledger_pending_transfer p where p.id = any(p_ids))
     order by id for update;
    -- The plain case: every transfer exists, is pending and unexpired, each once, each posted for 1 up to its
    -- amount as a transaction id not used before (ledger_post_pending posts no entries for a used one); and
    -- ledger_post_pending's two rules hold for each transfer with the batch's earlier postings on its accounts done.
    -- A posting changes its debit side's credits - debits - debits pending by (reserved - posted), and its credit
    -- side's debits - credits - credits pending by the same: what `returned` sums, earlier postings and this one's.
    -- An account that is also the other side of an earlier posting of the batch has more than that (a posting adds
    -- to its credit side's credits and its debit side's debits), which the sums leave out: the check is then
    -- stricter than one by one, never looser, and a batch it refuses goes one by one.
    select count(*) = v_count
           and count(distinct t.id) = v_count
           and count(distinct t.tx) = v_count
           and coalesce(bool_and(coalesce(t.status = 'pending' and p_now < t.expires_at and t.amount > 0
                                          and t.amount <= t.reserved, false)), true)
           and coalesce(bool_and(coalesce((d.normal_side <> 'C' or d.allow_negative
                                  or d.credits_posted - d.debits_posted - d.debits_pending + t.debit_returned
                                     >= -t.credit_limit)
                                 and (c.normal_side <> 'D' or c.allow_negative
                                      or c.debits_posted - c.credits_posted - c.credits_pending + t.credit_returned
                                         >= 0), false)), true)
           and not exists (select 1 from ledger_transaction x where x.id = any(p_transactions))
      into v_plain
      from (select u.n, u.amount, u.tx, p.id, p.status, p.expires_at, p.amount as reserved, p.credit_limit,
                   p.debit_account_id, p.credit_account_id,
                   sum(p.amount - u.amount) over (partition by p.debit_account_id order by u.n) as debit_returned,
                   sum(p.amount - u.amount) over (partition by p.credit_account_id order by u.n) as credit_returned
              from unnest(p_ids, p_amounts, p_transactions) with ordinality as u(id, amount, tx, n)
              join ledger_pending_transfer p on p.id = u.id) t
      join ledger_account d on d.id = t.debit_account_id
      join ledger_account c on c.id = t.credit_account_id;
    if not v_plain then
        for i in 1 .. v_count loop
            v_done := ledger_post_pending(p_ids[i], p_amounts[i], p_transactions[i], p_kind, p_references[i], p_now);
        end loop;
        return;
    end if;
    insert into ledger_transaction (id, kind, reference, posted_at)
    select t.tx, p_kind, t.reference, p_now
      from unnest(p_transactions, p_references) with ordinality as t(tx, reference, n)
     order by t.n;
    -- One statement, so ledger_entry_balanced checks the batch's transactions once.
    insert into ledger_entry (transaction_id, account_id, side, amount, currency)
    select u.tx, case e.side when 'D' then p.debit_account_id else p.credit_account_id end, e.side, u.amount,
           p.currency
      from unnest(p_ids, p_amounts, p_transactions) with ordinality as u(id, amount, tx, n)
      join ledger_pending_transfer p on p.id = u.id
     cross join (values ('D'), ('C')) as e(side)
     order by u.n, e.side desc;
    update ledger_account a
       set debits_pending = a.debits_pending - s.debits_returned,
           credits_pending = a.credits_pending - s.credits_returned,
           debits_posted = a.debits_posted + s.debits,
           credits_posted = a.credits_posted + s.credits
      -- each posting's two sides, as its entries above
      from (select case e.side when 'D' then p.debit_account_id else p.credit_account_id end as account_id,
                   sum(case e.side when 'D' then p.amount else 0 end) as debits_returned,
                   sum(case e.side when 'C' then p.amount else 0 end) as credits_returned,
                   sum(case e.side when 'D' then u.amount else 0 end) as debits,
                   sum(case e.side when 'C' then u.amount else 0 end) as credits
              from unnest(p_ids, p_amounts) as u(id, amount)
              join ledger_pending_transfer p on p.id = u.id
             cross join (values ('D'), ('C')) as e(side)
             group by 1) s
     where a.id = s.account_id;
    update ledger_pending_transfer p
       set status = 'posted', posted_amount = u.amount, posting_transaction = u.tx, resolved_at = p_now
      from unnest(p_ids, p_amounts, p_transactions) as u(id, amount, tx)
     where p.id = u.id;
end $$;
