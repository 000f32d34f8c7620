-- A merchant's bank details (реквизиты), what a payment order names its payee by: the legal name, the KPP (a
-- company's; a sole proprietor, whose ИНН has 12 digits, has none), the settlement account and its bank (name, БИК,
-- correspondent account). The payee's ИНН is the merchant's inn. Merchants made before have none, so every column
-- may be null, but the details are whole or absent: a payment order cannot be made of half of them.
--
-- The check digits (ИНН, the accounts' control key against the БИК) are io.kopek.catalog.Requisites's; the table
-- holds the shapes, so nothing written around the service can store what no bank would take.

alter table merchant
    add column legal_name            text check (legal_name ~ '^[^[:cntrl:]]{1,160}$'),
    add column kpp                   text check (kpp ~ '^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$'),
    add column settlement_account    text check (settlement_account ~ '^[0-9]{20}$'),
    add column bank_name             text check (bank_name ~ '^[^[:cntrl:]]{1,160}$'),
    add column bik                   text check (bik ~ '^[0-9]{9}$'),
    add column correspondent_account text check (correspondent_account ~ '^[0-9]{20}$'),
    add constraint merchant_bank_details_whole check (
        num_nulls(legal_name, settlement_account, bank_name, bik, correspondent_account, kpp) = 6
        or (num_nulls(inn, legal_name, settlement_account, bank_name, bik, correspondent_account) = 0
            and (kpp is not null) = (length(inn) = 10)));
