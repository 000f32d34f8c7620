package io.kopek.notification.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code mail_message} table: mails recorded once per event, recipient and kind, claimed and marked by the pump. */
@Component
class MailStore {

    private final JdbcClient jdbc;

    MailStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A mail to record, rendered. */
    record NewMail(
            UUID eventId,
            String recipient,
            String kind,
            String eventType,
            MailRenderer.Rendered content,
            List<Attachment> attachments) {}

    record Attachment(String fileName, String contentType, byte[] content) {}

    /** A claimed mail, as it was recorded. */
    record Claimed(
            long id,
            String recipient,
            String messageId,
            String subject,
            String text,
            String html,
            Instant createdAt,
            int attempts,
            List<Attachment> attachments) {}

    /**
     * {@code <{eventId}.{first 16 hex of sha256(recipient)}@kopek>}: the same for the same event and recipient on every
     * attempt, and no address in it.
     */
    static String messageId(UUID eventId, String recipient, String kind) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(recipient.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            String suffix = "customer".equals(kind) || "digest".equals(kind) ? "" : "." + kind;
            return "<" + eventId + "." + HexFormat.of().formatHex(hash, 0, 8) + suffix + "@kopek>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the mail unless it is there already; {@code true} when it was recorded now. */
    boolean record(NewMail mail) {
        Long id = jdbc.sql("""
                        insert into mail_message (event_id, recipient, kind, event_type, message_id, subject, text_body,
                                                  html_body)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (event_id, recipient, kind) do nothing
                        returning id""")
                .params(
                        mail.eventId(),
                        mail.recipient(),
                        mail.kind(),
                        mail.eventType(),
                        messageId(mail.eventId(), mail.recipient(), mail.kind()),
                        mail.content().subject(),
                        mail.content().text(),
                        mail.content().html())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (id == null) {
            return false;
        }
        int position = 0;
        for (Attachment a : mail.attachments()) {
            jdbc.sql("insert into mail_attachment (message_id, position, file_name, content_type, content)"
                            + " values (?, ?, ?, ?, ?)")
                    .params(id, position++, a.fileName(), a.contentType(), a.content())
                    .update();
        }
        return true;
    }

    /**
     * Claims up to {@code limit} due mails for {@code lease}: pending ones whose next attempt has come, and claims whose
     * lease has run out (their claimer died, perhaps after sending: the mail goes again, the same mail).
     */
    List<Claimed> claim(int limit, Duration lease) {
        List<Claimed> claimed = jdbc.sql("""
                        update mail_message m
                           set state = 'sending', attempts = attempts + 1,
                               lease_until = now() + make_interval(secs => ?)
                         where id in (select id from mail_message
                                       where (state = 'pending' and next_attempt_at <= now())
                                          or (state = 'sending' and lease_until < now())
                                       order by id
                                       limit ?
                                       for update skip locked)
                        returning id, recipient, message_id, subject, text_body, html_body, created_at, attempts""")
                .params(lease.toMillis() / 1000.0, limit)
                .query((rs, n) -> new Claimed(
                        rs.getLong("id"),
                        rs.getString("recipient"),
                        rs.getString("message_id"),
                        rs.getString("subject"),
                        rs.getString("text_body"),
                        rs.getString("html_body"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getInt("attempts"),
                        List.of()))
                .list();
        return claimed.stream()
                .sorted(java.util.Comparator.comparingLong(Claimed::id))
                .map(c -> new Claimed(
                        c.id(),
                        c.recipient(),
                        c.messageId(),
                        c.subject(),
                        c.text(),
                        c.html(),
                        c.createdAt(),
                        c.attempts(),
                        attachments(c.id())))
                .toList();
    }

    private List<Attachment> attachments(long messageId) {
        return jdbc.sql("select file_name, content_type, content from mail_attachment where message_id = ?"
                        + " order by position")
                .param(messageId)
                .query((rs, n) ->
                        new Attachment(rs.getString("file_name"), rs.getString("content_type"), rs.getBytes("content")))
                .list();
    }

    /** Sent: after the SMTP server took the mail. Only the claimer's own claim is marked. */
    void markSent(long id) {
        jdbc.sql("update mail_message set state = 'sent', sent_at = now(), lease_until = null, last_error = null"
                        + " where id = ? and state = 'sending'")
                .param(id)
                .update();
    }

    /** Not taken: tried again after {@code wait}, or given up ({@code failed}) when {@code wait} is null. */
    void markFailed(long id, String error, Duration wait) {
        jdbc.sql("""
                        update mail_message
                           set state = case when ? then 'failed' else 'pending' end,
                               next_attempt_at = now() + make_interval(secs => ?),
                               lease_until = null, last_error = ?
                         where id = ? and state = 'sending'""")
                .params(wait == null, wait == null ? 0.0 : wait.toMillis() / 1000.0, truncate(error), id)
                .update();
    }

    long pending() {
        return jdbc.sql("select count(*) from mail_message where state in ('pending', 'sending')")
                .query(Long.class)
                .single();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
    }
}
