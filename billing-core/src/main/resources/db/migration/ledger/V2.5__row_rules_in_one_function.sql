-- The ledger's hot tables' CHECK constraints, each table's as one call of an immutable function of the row.
--
-- Why: PostgreSQL 15 reads a table's CHECK constraints back from their stored node text (pg_constraint.conbin) and
-- prepares them again in every statement that inserts or updates a row of it (ExecRelCheck builds them per result
-- relation, and a PL/pgSQL statement is a query of its own). A hold and its capture write these tables six times,
-- billing's three times more. Counted with callgrind (the backend's instructions for the API's pair as
-- bench/src/main/resources/api-pair-batch.sql sends it, batches of one, plans generic as the app's connections settle
-- on; 2026-12-06): the 49 constraints read a pair cost a fifth of all the backend did for it (5.46 M instructions a
-- pair; 4.35 M with none of them; 20 of the 49 are the ledger's). A function's body is compiled once per connection:
-- its call costs a short node text and a plain function call, and with this migration and billing/V6.18 the pair
-- costs 4.73 M (-13 %).
-- The rules are the same, rule for rule (a CHECK passes on null; so does an "and" of them with no false term).

alter table ledger_account
    drop constraint ledger_account_normal_side_check,
    drop constraint ledger_account_debits_posted_check,
    drop constraint ledger_account_credits_posted_check,
    drop constraint ledger_account_debits_pending_check,
    drop constraint ledger_account_credits_pending_check;

create function ledger_account_rules(a ledger_account) returns boolean language plpgsql immutable as $$
begin
    return a.normal_side in ('D', 'C')
       and a.debits_posted >= 0 and a.credits_posted >= 0 and a.debits_pending >= 0 and a.credits_pending >= 0;
end $$;

alter table ledger_account add constraint ledger_account_rules check (ledger_account_rules(ledger_account));

alter table ledger_entry
    drop constraint ledger_entry_side_check,
    drop constraint ledger_entry_amount_check;

create function ledger_entry_rules(e ledger_entry) returns boolean language plpgsql immutable as $$
begin
    return e.side in ('D', 'C') and e.amount > 0;
end $$;

alter table ledger_entry add constraint ledger_entry_rules check (ledger_entry_rules(ledger_entry));

alter table ledger_pending_transfer
    drop constraint ledger_pending_transfer_status_check,
    drop constraint ledger_pending_transfer_amount_check,
    drop constraint ledger_pending_transfer_credit_limit_check,
    drop constraint ledger_pending_transfer_check;

create function ledger_pending_transfer_rules(p ledger_pending_transfer) returns boolean
language plpgsql immutable as $$
begin
    return p.status in ('pending', 'posted', 'voided', 'expired')
       and p.amount > 0 and p.credit_limit >= 0
       and p.posted_amount > 0 and p.posted_amount <= p.amount;
end $$;

alter table ledger_pending_transfer
    add constraint ledger_pending_transfer_rules check (ledger_pending_transfer_rules(ledger_pending_transfer));
