package io.kopek.notification.mail;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.notification.Notification;
import io.kopek.outbox.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a staff group's collected alerts into one mail per recipient once the oldest of them has waited the digest
 * window: counts per kind, the first {@code digest-items} alerts one by one, and how many more. The digest has an id of
 * its own (its mails' Message-ID), and the alerts it took are marked with it in the same transaction, so each alert is
 * in exactly one digest. A transaction-scoped advisory lock per group keeps two pumps from digesting a group at once.
 */
@Component
class StaffDigests {

    private final JdbcClient jdbc;
    private final MailStore store;
    private final MailProperties properties;
    private final BusinessCalendar calendar;
    private final TransactionTemplate transaction;
    private final MailRenderer renderer = new MailRenderer();

    StaffDigests(
            JdbcClient jdbc,
            MailStore store,
            MailProperties properties,
            BusinessCalendar calendar,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.store = store;
        this.properties = properties;
        this.calendar = calendar;
        this.transaction = transaction;
    }

    /** Digests every group whose window has passed; answers how many digests it made. */
    int digestDue() {
        int made = 0;
        for (var group : properties.staff().groups().entrySet()) {
            Boolean digested = transaction.execute(status -> digest(group.getKey(), group.getValue()));
            if (Boolean.TRUE.equals(digested)) {
                made++;
            }
        }
        return made;
    }

    private boolean digest(String name, MailProperties.Group group) {
        boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(hashtext('kopek.mail.digest:' || ?))")
                .param(name)
                .query(Boolean.class)
                .single();
        if (!locked) {
            return false;
        }
        boolean due = jdbc.sql("""
                        select exists (select 1 from staff_alert
                                        where group_name = ? and digest_id is null
                                          and created_at <= now() - make_interval(secs => ?))""")
                .params(name, properties.staff().digestWindow().toMillis() / 1000.0)
                .query(Boolean.class)
                .single();
        if (!due) {
            return false;
        }
        List<Alert> alerts = jdbc.sql("""
                        select id, event_id, event_type, payload::text as payload, occurred_at from staff_alert
                         where group_name = ? and digest_id is null order by occurred_at, id""")
                .param(name)
                .query((rs, n) -> new Alert(
                        rs.getLong("id"),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"),
                        Outbox.PAYLOADS.readValue(rs.getString("payload"), Map.class),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list();
        UUID digestId = UUID.randomUUID();
        MailRenderer.Rendered content = render(name, group, alerts);
        for (String recipient : group.recipients()) {
            store.record(new MailStore.NewMail(digestId, recipient, "digest", "staff.digest", content, List.of()));
        }
        jdbc.sql("update staff_alert set digest_id = ? where id = any(?)")
                .params(digestId, alerts.stream().mapToLong(Alert::id).boxed().toArray(Long[]::new))
                .update();
        return true;
    }

    private MailRenderer.Rendered render(String name, MailProperties.Group group, List<Alert> alerts) {
        MailTexts texts = new MailTexts(group.language());
        MailFormat format = new MailFormat(group.language(), calendar.zone());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            counts.merge(alert.type(), 1L, Long::sum);
        }
        List<MailTexts.Fact> kinds = counts.entrySet().stream()
                .map(e -> new MailTexts.Fact(
                        texts.get(e.getKey() + ".title"), e.getValue().toString()))
                .toList();
        int shown = Math.min(alerts.size(), properties.staff().digestItems());
        List<String> items = new ArrayList<>();
        for (Alert alert : alerts.subList(0, shown)) {
            Notification n =
                    new Notification(alert.eventId(), alert.type(), 1, alert.occurredAt(), alert.payload(), null);
            items.add(format.time(alert.occurredAt()) + " · "
                    + texts.fill(alert.type() + ".item", MailValues.of(n, Optional.empty(), format, texts)));
        }
        Map<String, String> values = Map.of(
                "group", name,
                "count", Integer.toString(alerts.size()),
                "from", format.time(alerts.getFirst().occurredAt()),
                "to", format.time(alerts.getLast().occurredAt()),
                "more", Integer.toString(alerts.size() - shown));
        return renderer.digest(
                group.language(),
                texts.fill("digest.subject", values),
                texts.fill("digest.intro", values),
                kinds,
                items,
                alerts.size() > shown ? texts.fill("digest.more", values) : null);
    }

    private record Alert(long id, UUID eventId, String type, Map<?, ?> payload, Instant occurredAt) {}
}
