-- Posting in one place. ledger_post is the only code that writes posted entries and moves account totals: Java's
-- Ledger.postAll hands it a batch of transactions, and a pending transfer's posting (a hold's capture) one. Until
-- now each had its own copy of the rules (accounts locked in id order, each side held to its no-negative rule,
-- entries and totals written together).
--
-- Transactions come as parallel arrays (id, kind, reference); their entries as parallel arrays naming their
-- transaction by position (1-based); likewise the credit limits, i.e. how far below zero a transaction may take an
-- account that may not go negative (a billing rule's credit allowance). A transaction id posted before, or earlier
-- in the same call, writes nothing. Each fresh transaction is checked as if it were posted alone, in order, after
-- the ones before it. Returns the ids written now. Refusals: KL001, KL002, KL004 (see V11).
create function ledger_post(p_ids uuid[], p_kinds text[], p_references text[],
                            p_entry_of int[], p_entry_accounts text[], p_entry_sides text[],
                            p_entry_amounts bigint[], p_entry_currencies text[],
                            p_limit_of int[], p_limit_accounts text[], p_limits bigint[])
returns setof uuid language plpgsql as $$
declare
    v_fresh uuid[];
    v_posted int[];
    v_wrong record;
    v_short record;
begin
    with ins as (
        insert into ledger_transaction (id, kind, reference)
        select t.id, t.kind, t.reference
          from (select distinct on (id) id, kind, reference, n
                  from unnest(p_ids, p_kinds, p_references) with ordinality as u (id, kind, reference, n)
                 order by id, n) t
         order by t.n
        on conflict (id) do nothing
        returning id)
    select array_agg(id) into v_fresh from ins;
    if v_fresh is null then
        return;
    end if;
    select array_agg(t.n) into v_posted
      from (select distinct on (id) id, n from unnest(p_ids) with ordinality as u (id, n) order by id, n) t
     where t.id = any (v_fresh);

    -- In id order, as every posting and reservation locks accounts, so that concurrent ones cannot deadlock.
    perform 1 from ledger_account
     where code = any (array(select e.code from unnest(p_entry_of, p_entry_accounts) as e (tx, code)
                              where e.tx = any (v_posted)))
     order by id for update;

    select e.code, e.currency, e.amount, a.currency as account_currency into v_wrong
      from unnest(p_entry_of, p_entry_accounts, p_entry_amounts, p_entry_currencies) as e (tx, code, amount, currency)
      left join ledger_account a on a.code = e.code
     where e.tx = any (v_posted) and (a.id is null or a.currency <> e.currency)
     limit 1;
    if found and v_wrong.account_currency is null then
        raise exception 'ledger account % does not exist', v_wrong.code using errcode = 'KL002', detail = v_wrong.code;
    elsif found then
        raise exception 'account % is in %, amount is %', v_wrong.code, v_wrong.account_currency,
            money_text(v_wrong.amount, v_wrong.currency) using errcode = 'KL004';
    end if;

    -- What each account has available after each transaction, in order; the first that takes an account below its
    -- floor refuses the whole call.
    with e as (
        select * from unnest(p_entry_of, p_entry_accounts, p_entry_sides, p_entry_amounts)
                      with ordinality as e (tx, code, side, amount, pos)
         where e.tx = any (v_posted)),
    change as (
        select e.tx, a.id, a.code, a.currency, a.allow_negative, min(e.pos) as pos,
               sum(case when e.side = a.normal_side then e.amount else -e.amount end)::bigint as amount,
               case a.normal_side when 'D' then a.debits_posted - a.credits_posted - a.credits_pending
                                  else a.credits_posted - a.debits_posted - a.debits_pending end as available
          from e join ledger_account a on a.code = e.code
         group by e.tx, a.id),
    running as (
        select c.*, (c.available + sum(c.amount) over (partition by c.id order by c.tx))::bigint as after
          from change c)
    select r.code, r.currency, r.after - r.amount + coalesce(l.lim, 0) as before, -r.amount as requested
      into v_short
      from running r
      left join unnest(p_limit_of, p_limit_accounts, p_limits) as l (tx, code, lim)
        on l.tx = r.tx and l.code = r.code
     where r.amount < 0 and not r.allow_negative and r.after < -coalesce(l.lim, 0)
     order by r.tx, r.pos
     limit 1;
    if found then
        perform ledger_insufficient(v_short.code, v_short.before, v_short.requested, v_short.currency);
    end if;

    insert into ledger_entry (transaction_id, account_id, side, amount, currency)
    select p_ids[e.tx], a.id, e.side, e.amount, e.currency
      from unnest(p_entry_of, p_entry_accounts, p_entry_sides, p_entry_amounts, p_entry_currencies)
           with ordinality as e (tx, code, side, amount, currency, pos)
      join ledger_account a on a.code = e.code
     where e.tx = any (v_posted)
     order by e.pos;

    update ledger_account a
       set debits_posted = a.debits_posted + d.debits, credits_posted = a.credits_posted + d.credits
      from (select e.code,
                   coalesce(sum(e.amount) filter (where e.side = 'D'), 0)::bigint as debits,
                   coalesce(sum(e.amount) filter (where e.side = 'C'), 0)::bigint as credits
              from unnest(p_entry_of, p_entry_accounts, p_entry_sides, p_entry_amounts) as e (tx, code, side, amount)
             where e.tx = any (v_posted)
             group by e.code) d
     where a.code = d.code;

    return query select unnest(v_fresh);
end $$;

-- A pending transfer's reservation back on both its accounts, locked in id order first.
create function ledger_release(p ledger_pending_transfer) returns void language sql as $$
    select 1 from ledger_account where id in (p.debit_account_id, p.credit_account_id) order by id for update;
    update ledger_account
       set debits_pending = debits_pending - case when id = p.debit_account_id then p.amount else 0 end,
           credits_pending = credits_pending - case when id = p.credit_account_id then p.amount else 0 end
     where id in (p.debit_account_id, p.credit_account_id)
$$;

-- Posts p_amount (at most the reserved amount) of a pending transfer as ledger transaction p_transaction; the rest
-- of the reservation goes back to the debit account. The reservation is returned first, so that the posting is
-- checked against what each side then has, as any posting is (the transfer's credit limit applies to its debit
-- account). A transaction id posted before writes no entries again.
create or replace function ledger_post_pending(p_id uuid, p_amount bigint, p_transaction uuid, p_kind text,
                                               p_reference text, p_now timestamptz)
returns void language plpgsql as $$
declare
    p ledger_pending_transfer;
    v_debit text;
    v_credit text;
begin
    p := ledger_lock_pending(p_id, p_now, false);
    if p_amount <= 0 or p_amount > p.amount then
        raise exception 'can post between % and %, asked %', money_text(1, p.currency),
            money_text(p.amount, p.currency), money_text(p_amount, p.currency) using errcode = 'KL004';
    end if;
    perform ledger_release(p);
    select code into v_debit from ledger_account where id = p.debit_account_id;
    select code into v_credit from ledger_account where id = p.credit_account_id;
    perform ledger_post(array[p_transaction], array[p_kind], array[p_reference],
                        array[1, 1], array[v_debit, v_credit], array['D', 'C'], array[p_amount, p_amount],
                        array[p.currency, p.currency]::text[],
                        array[1], array[v_debit], array[p.credit_limit]);
    update ledger_pending_transfer
       set status = 'posted', posted_amount = p_amount, posting_transaction = p_transaction, resolved_at = p_now
     where id = p_id;
end $$;

create or replace function ledger_void_pending(p_id uuid, p_expired boolean, p_now timestamptz)
returns void language plpgsql as $$
declare
    p ledger_pending_transfer;
begin
    p := ledger_lock_pending(p_id, p_now, p_expired);
    perform ledger_release(p);
    update ledger_pending_transfer
       set status = case when p_expired then 'expired' else 'voided' end, resolved_at = p_now
     where id = p_id;
end $$;
