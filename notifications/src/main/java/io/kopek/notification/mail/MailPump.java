package io.kopek.notification.mail;

import io.kopek.notification.NotificationPump;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends the recorded mails: makes the staff groups' digests that are due, claims due mails (skip locked, a lease),
 * hands each to the SMTP server and marks it sent after the SMTP transaction. A mail the server does not take is tried
 * again with exponential backoff and jitter, so nothing is lost while the server is down. Each attempt is the mail as
 * it was recorded, with its Message-ID and Date: a crash between sending and marking sends the same mail again, which
 * a mail client shows once.
 */
@Component
class MailPump implements NotificationPump {

    private static final Logger log = LoggerFactory.getLogger(MailPump.class);

    private final MailStore store;
    private final StaffDigests digests;
    private final MailProperties properties;
    private final ObjectProvider<JavaMailSender> sender;
    private final Counter sent;
    private final Counter failed;

    MailPump(
            MailStore store,
            StaffDigests digests,
            MailProperties properties,
            ObjectProvider<JavaMailSender> sender,
            ObjectProvider<MeterRegistry> meters) {
        this.store = store;
        this.digests = digests;
        this.properties = properties;
        this.sender = sender;
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.sent = Counter.builder("kopek.notifications.mail.sent")
                .description("mails the SMTP server took")
                .register(registry);
        this.failed = Counter.builder("kopek.notifications.mail.failed")
                .description("attempts the SMTP server did not take (tried again later)")
                .register(registry);
        Gauge.builder("kopek.notifications.mail.pending", store, MailStore::pending)
                .description("mails recorded and not yet sent")
                .register(registry);
    }

    @Override
    public String name() {
        return "mail";
    }

    @Override
    public int pump() {
        JavaMailSender smtp = sender.getIfAvailable();
        if (smtp == null) {
            return 0;
        }
        int done = digests.digestDue();
        List<MailStore.Claimed> claimed = store.claim(properties.batch(), properties.lease());
        for (MailStore.Claimed mail : claimed) {
            try {
                smtp.send(message(smtp, mail));
            } catch (MailException | MessagingException e) {
                failed.increment();
                Duration wait = mail.attempts() >= properties.retry().maxAttempts() ? null : backoff(mail.attempts());
                log.warn(
                        "mail {} to {} not sent (attempt {}){}: {}",
                        mail.messageId(),
                        mail.recipient(),
                        mail.attempts(),
                        wait == null ? ", given up" : ", next in " + wait,
                        e.getMessage());
                store.markFailed(mail.id(), e.getMessage(), wait);
                continue;
            }
            store.markSent(mail.id());
            sent.increment();
            done++;
        }
        return done;
    }

    /** {@code initial × 2^(attempt-1)}, at most {@code max}, drawn between half and all of it. */
    Duration backoff(int attempt) {
        Duration initial = properties.retry().initial();
        Duration max = properties.retry().max();
        Duration wait = initial.multipliedBy(1L << Math.min(30, Math.max(0, attempt - 1)));
        if (wait.compareTo(max) > 0 || wait.isNegative()) {
            wait = max;
        }
        long millis = Math.max(1, wait.toMillis());
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private MimeMessage message(JavaMailSender smtp, MailStore.Claimed mail) throws MessagingException {
        MimeMessage message = smtp.createMimeMessage();
        boolean attachments = !mail.attachments().isEmpty();
        MimeMessageHelper helper = new MimeMessageHelper(
                message,
                attachments ? MimeMessageHelper.MULTIPART_MODE_MIXED : MimeMessageHelper.MULTIPART_MODE_NO,
                "UTF-8");
        helper.setFrom(properties.from());
        helper.setTo(mail.recipient());
        helper.setSubject(mail.subject());
        // The Date of when it was recorded, not of this attempt: every attempt is the same mail.
        helper.setSentDate(Date.from(mail.createdAt()));
        if (attachments) {
            helper.setText(mail.text(), mail.html());
            for (MailStore.Attachment a : mail.attachments()) {
                helper.addAttachment(a.fileName(), new ByteArrayResource(a.content()), a.contentType());
            }
        } else {
            // multipart/alternative on its own, without a mixed wrapper
            var alternative = new jakarta.mail.internet.MimeMultipart("alternative");
            var text = new jakarta.mail.internet.MimeBodyPart();
            text.setText(mail.text(), "UTF-8", "plain");
            var html = new jakarta.mail.internet.MimeBodyPart();
            html.setText(mail.html(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        }
        // JavaMailSenderImpl keeps a Message-ID set before sending (saveChanges would make a new one otherwise).
        message.setHeader("Message-ID", mail.messageId());
        return message;
    }
}
