-- Alerts for staff groups, collected until the group's digest window has passed and then sent as one mail
-- (mail_message, kind digest, event_id = digest_id): a thousand receipt failures make one mail.
create table staff_alert (
    id          bigserial primary key,
    group_name  text        not null,
    event_id    uuid        not null,
    event_type  text        not null,
    payload     jsonb       not null,
    occurred_at timestamptz not null,
    created_at  timestamptz not null default now(),
    digest_id   uuid,
    unique (group_name, event_id)
);

create index staff_alert_waiting on staff_alert (group_name, created_at) where digest_id is null;
