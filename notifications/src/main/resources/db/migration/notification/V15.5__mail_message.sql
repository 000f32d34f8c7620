-- Mail to send: one row per event, recipient and kind, rendered when the event is notified (subject, text, HTML,
-- attachments), so a resend after a crash is the same mail with the same Message-ID, never a different one.
create table mail_message (
    id              bigserial primary key,
    -- the notified event's id, or a staff digest's own id
    event_id        uuid        not null,
    recipient       text        not null,
    -- customer (to a customer), contact (a webhook endpoint's contact), digest (a staff group's alerts)
    kind            text        not null check (kind in ('customer', 'contact', 'digest')),
    event_type      text        not null,
    message_id      text        not null,
    subject         text        not null,
    text_body       text        not null,
    html_body       text        not null,
    state           text        not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz,
    unique (event_id, recipient, kind)
);

-- What the pump claims: pending mails by their next attempt, and claims whose lease may have run out.
create index mail_message_due on mail_message (next_attempt_at) where state = 'pending';
create index mail_message_leased on mail_message (lease_until) where state = 'sending';

create table mail_attachment (
    message_id   bigint not null references mail_message (id),
    position     int    not null,
    file_name    text   not null,
    content_type text   not null,
    content      bytea  not null,
    primary key (message_id, position)
);
