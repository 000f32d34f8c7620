-- What the ledger publishes to the reports, which read these views and never the ledger's tables.
--
-- A posting is dated by the caller's business clock (p_now here, the business calendar's now in Java), as payments
-- and holds are, so that the day a posting falls on is the day of the invoice, payment or capture it records: the
-- reports' periods (a turnover sheet, revenue against the ledger) are counted in those days. Before this migration
-- every posting took the column's default, the database's now(). The two agree in production, where the business
-- clock is the system's; they differ where a test moves the clock.

-- Every posted entry with its account and transaction: one row per entry, entry ids increasing in posting order
-- (the reports' watermark is an entry id). A turnover sheet groups these by account in one query.
create view ledger_posting as
select e.id as entry_id, e.transaction_id, t.kind, t.reference, t.posted_at,
       a.code as account_code, a.currency as account_currency, a.normal_side, e.side, e.amount, e.currency
from ledger_entry e
join ledger_account a on a.id = e.account_id
join ledger_transaction t on t.id = e.transaction_id;

-- Pending transfers (holds) with their accounts: what was reserved when, and when it stopped being pending
-- (resolved_at: posted, voided or expired).
create view ledger_pending as
select p.id as transfer_id, d.code as debit_account_code, c.code as credit_account_code, p.amount, p.currency,
       p.status, p.posted_amount, p.created_at, p.expires_at, p.resolved_at
from ledger_pending_transfer p
join ledger_account d on d.id = p.debit_account_id
join ledger_account c on c.id = p.credit_account_id;

-- ledger_post_pending of V2.3, the same but for the transaction's posted_at, which is the capture's p_now.
create or replace function ledger_post_pending(p_id uuid, p_amount bigint, p_transaction uuid, p_kind text,
                                    p_reference text, p_now timestamptz)
returns void language plpgsql as $$
declare
    p ledger_pending_transfer;
    a ledger_account;
    d ledger_account;
    c ledger_account;
    v_before bigint;
    v_fresh boolean;
begin
    p := ledger_lock_pending(p_id, p_now, false);
    if p_amount <= 0 or p_amount > p.amount then
        raise exception 'can post between % and %, asked %', money_text(1, p.currency),
            money_text(p.amount, p.currency), money_text(p_amount, p.currency) using errcode = 'KL004';
    end if;
    insert into ledger_transaction (id, kind, reference, posted_at)
    values (p_transaction, p_kind, p_reference, p_now)
    on conflict (id) do nothing;
    v_fresh := found;
    for a in select * from ledger_account where id in (p.debit_account_id, p.credit_account_id)
             order by id for update loop
        if a.id = p.debit_account_id then d := a; end if;
        if a.id = p.credit_account_id then c := a; end if;
    end loop;
    if v_fresh then
        -- What each side has available once the reservation is returned, before the posting takes from it.
        if d.normal_side = 'C' and not d.allow_negative then
            v_before := d.credits_posted - d.debits_posted - (d.debits_pending - p.amount);
            if v_before - p_amount < -p.credit_limit then
                perform ledger_insufficient(d.code, v_before + p.credit_limit, p_amount, p.currency);
            end if;
        end if;
        if c.normal_side = 'D' and not c.allow_negative then
            v_before := c.debits_posted - c.credits_posted - (c.credits_pending - p.amount);
            if v_before - p_amount < 0 then
                perform ledger_insufficient(c.code, v_before, p_amount, p.currency);
            end if;
        end if;
        insert into ledger_entry (transaction_id, account_id, side, amount, currency)
        values (p_transaction, d.id, 'D', p_amount, p.currency),
               (p_transaction, c.id, 'C', p_amount, p.currency);
    end if;
    update ledger_account
       set debits_pending = debits_pending - case when id = d.id then p.amount else 0 end,
           credits_pending = credits_pending - case when id = c.id then p.amount else 0 end,
           debits_posted = debits_posted + case when v_fresh and id = d.id then p_amount else 0 end,
           credits_posted = credits_posted + case when v_fresh and id = c.id then p_amount else 0 end
     where id in (d.id, c.id);
    update ledger_pending_transfer
       set status = 'posted', posted_amount = p_amount, posting_transaction = p_transaction, resolved_at = p_now
     where id = p_id;
end $$;
