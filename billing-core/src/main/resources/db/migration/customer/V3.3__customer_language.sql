-- The language a customer is written to in (notification e-mails): Russian unless the customer asked otherwise.
alter table customer add column language text not null default 'ru' check (language in ('ru', 'en'));
