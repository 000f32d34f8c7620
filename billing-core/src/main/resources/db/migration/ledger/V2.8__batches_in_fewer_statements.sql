-- ledger_reserve_all and ledger_post_pending_all (V2.7) in fewer statements. Each statement of a PL/pgSQL function
-- has a fixed cost however few rows it touches: its cached plan looked up, an executor started (every node and
-- expression of the plan set up) and ended, a snapshot. Measured on the API's batch mirror (callgrind, 2026-12-06):
-- ExecutorStart alone was 23 % of PostgreSQL's instructions a pair, about 20 statements a batch of ours besides the
-- key checks. Here:
--   ledger_reserve_all writes its reservations and its accounts' pending totals by one statement (V2.7: two);
--   ledger_post_pending_all locks its transfers and then their accounts by one statement (V2.7: two), and writes its
--   transactions, entries, accounts' totals and posted transfers by one (V2.7: four).
-- Data-modifying parts of one statement share its snapshot, and none reads what another writes: the entries and the
-- totals read the transfers' accounts and amounts, which posting does not change. Foreign keys and the statement
-- trigger ledger_entry_balanced are checked when the whole statement has written. The rules, the plain case and its
-- checks are V2.7's, term for term; io.kopek.ledger.LedgerBatchesTest holds both functions to the one-by-one ones.

create or replace function ledger_reserve_all(p_ids uuid[], p_debits text[], p_credits text[], p_amounts bigint[],
                                              p_currencies text[], p_expires_at timestamptz[],
                                              p_credit_limits bigint[])
returns void language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (billing/V6.23)
    v_count integer := coalesce(cardinality(p_ids), 0);
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
                                     + t.credit_limit >= 0), false)), true)
           and coalesce(cardinality(p_debits) = v_count and cardinality(p_credits) = v_count
                        and cardinality(p_amounts) = v_count and cardinality(p_currencies) = v_count
                        and cardinality(p_expires_at) = v_count and cardinality(p_credit_limits) = v_count, false),
           array_agg(d.id order by t.n), array_agg(c.id order by t.n)
      into v_plain, v_debit_ids, v_credit_ids
      from (select u.n, u.debit, p_credits[u.n] as credit, p_amounts[u.n] as amount, p_currencies[u.n] as currency,
                   p_credit_limits[u.n] as credit_limit,
                   sum(p_amounts[u.n]) over (partition by u.debit order by u.n) as reserved
              from unnest(p_debits) with ordinality as u(debit, n)) t
      left join ledger_account d on d.code = t.debit
      left join ledger_account c on c.code = t.credit;
    if not v_plain then
        for i in 1 .. v_count loop
            v_done := ledger_reserve(p_ids[i], p_debits[i], p_credits[i], p_amounts[i], p_currencies[i],
                                     p_expires_at[i], p_credit_limits[i]);
        end loop;
        return;
    end if;
    -- The reservations and their accounts' pending totals by one statement.
    with reserved as (
        insert into ledger_pending_transfer (id, debit_account_id, credit_account_id, amount, currency, status,
                                             expires_at, credit_limit)
        select t.id, v_debit_ids[t.n], v_credit_ids[t.n], p_amounts[t.n], p_currencies[t.n], 'pending',
               p_expires_at[t.n], p_credit_limits[t.n]
          from unnest(p_ids) with ordinality as t(id, n)
         order by t.n)
    update ledger_account a
       set debits_pending = a.debits_pending + s.debits, credits_pending = a.credits_pending + s.credits
      -- each reservation's two sides
      from (select case e.side when 'D' then v_debit_ids[t.n] else v_credit_ids[t.n] end as account_id,
                   sum(case e.side when 'D' then t.amount else 0 end) as debits,
                   sum(case e.side when 'C' then t.amount else 0 end) as credits
              from unnest(p_amounts) with ordinality as t(amount, n)
             cross join (values ('D'), ('C')) as e(side)
             group by 1) s
     where a.id = s.account_id;
end $$;

create or replace function ledger_post_pending_all(p_ids uuid[], p_amounts bigint[], p_transactions uuid[],
                                                   p_kind text, p_references text[], p_now timestamptz)
returns void language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (billing/V6.23)
    v_count integer := coalesce(cardinality(p_ids), 0);
    v_plain boolean;
begin
    -- The transfers in id order, then their accounts in id order, by one statement: the accounts' ids come from an
    -- aggregate (an init plan, run whole before the accounts are read), so every transfer is locked before any
    -- account, in the order V2.6's two statements took them.
    perform 1 from ledger_account
     where id = any((select array_agg(a.id)
                       from (select p.debit_account_id, p.credit_account_id from ledger_pending_transfer p
                              where p.id = any(p_ids) order by p.id for update) p,
                            unnest(array[p.debit_account_id, p.credit_account_id]) as a(id))::bigint[])
     order by id for update;
    -- The plain case, as V2.6 states it.
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
           and coalesce(cardinality(p_amounts) = v_count and cardinality(p_transactions) = v_count
                        and cardinality(p_references) = v_count, false)
      into v_plain
      from (select u.n, p_amounts[u.n] as amount, p_transactions[u.n] as tx, p.id, p.status, p.expires_at,
                   p.amount as reserved, p.credit_limit, p.debit_account_id, p.credit_account_id,
                   sum(p.amount - p_amounts[u.n]) over (partition by p.debit_account_id order by u.n)
                       as debit_returned,
                   sum(p.amount - p_amounts[u.n]) over (partition by p.credit_account_id order by u.n)
                       as credit_returned
              from unnest(p_ids) with ordinality as u(id, n)
              join ledger_pending_transfer p on p.id = u.id) t
      join ledger_account d on d.id = t.debit_account_id
      join ledger_account c on c.id = t.credit_account_id;
    if not v_plain then
        for i in 1 .. v_count loop
            v_done := ledger_post_pending(p_ids[i], p_amounts[i], p_transactions[i], p_kind, p_references[i], p_now);
        end loop;
        return;
    end if;
    -- Every row of the batch by one statement: its transactions, their entries (one insert, so that
    -- ledger_entry_balanced checks the batch's transactions once), the accounts' totals and the transfers posted.
    -- Each part reads the transfers as the statement found them (one snapshot), and reads nothing that another part
    -- writes; the keys and ledger_entry_balanced are checked at the statement's end, when every row is written.
    with posted as (
        insert into ledger_transaction (id, kind, reference, posted_at)
        select t.tx, p_kind, p_references[t.n], p_now
          from unnest(p_transactions) with ordinality as t(tx, n)
         order by t.n),
    entries as (
        insert into ledger_entry (transaction_id, account_id, side, amount, currency)
        select p_transactions[u.n], case e.side when 'D' then p.debit_account_id else p.credit_account_id end,
               e.side, p_amounts[u.n], p.currency
          from unnest(p_ids) with ordinality as u(id, n)
          join ledger_pending_transfer p on p.id = u.id
         cross join (values ('D'), ('C')) as e(side)
         order by u.n, e.side desc),
    resolved as (
        update ledger_pending_transfer p
           set status = 'posted', posted_amount = p_amounts[u.n], posting_transaction = p_transactions[u.n],
               resolved_at = p_now
          from unnest(p_ids) with ordinality as u(id, n)
         where p.id = u.id)
    update ledger_account a
       set debits_pending = a.debits_pending - s.debits_returned,
           credits_pending = a.credits_pending - s.credits_returned,
           debits_posted = a.debits_posted + s.debits,
           credits_posted = a.credits_posted + s.credits
      -- each posting's two sides, as its entries
      from (select case e.side when 'D' then p.debit_account_id else p.credit_account_id end as account_id,
                   sum(case e.side when 'D' then p.amount else 0 end) as debits_returned,
                   sum(case e.side when 'C' then p.amount else 0 end) as credits_returned,
                   sum(case e.side when 'D' then p_amounts[u.n] else 0 end) as debits,
                   sum(case e.side when 'C' then p_amounts[u.n] else 0 end) as credits
              from unnest(p_ids) with ordinality as u(id, n)
              join ledger_pending_transfer p on p.id = u.id
             cross join (values ('D'), ('C')) as e(side)
             group by 1) s
     where a.id = s.account_id;
end $$;
