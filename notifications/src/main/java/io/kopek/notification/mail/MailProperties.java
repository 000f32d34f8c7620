package io.kopek.notification.mail;

import io.kopek.customer.Language;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.notifications.mail.*}: e-mail to customers and staff. The SMTP server itself is Spring Boot's
 * {@code spring.mail.*}; without {@code spring.mail.host} the mail channel records nothing.
 *
 * @param from the sender of every mail ({@code Kopek <noreply@example.ru>})
 * @param contactLanguage the language of a mail to an address that is no customer's (a webhook endpoint's contact)
 * @param batch mails claimed per pass of the pump
 * @param lease how long a claimed mail is the claimer's; a process that dies leaves it to another after that
 * @param retry how a mail the SMTP server did not take is tried again
 * @param staff the staff groups and their digests
 */
@ConfigurationProperties("kopek.notifications.mail")
public record MailProperties(
        @DefaultValue("Kopek <noreply@kopek.local>") String from,
        @DefaultValue("ru") Language contactLanguage,
        @DefaultValue("50") int batch,
        @DefaultValue("2m") Duration lease,
        @DefaultValue Retry retry,
        @DefaultValue Staff staff) {

    /**
     * Exponential backoff with jitter: {@code initial}, doubling up to {@code max}, each wait drawn between half and
     * all of it, so mails failed together do not come back together. A mail is given up only after
     * {@code maxAttempts}: with the defaults (10 s doubling to 1 h) about four days of an unreachable server.
     */
    public record Retry(
            @DefaultValue("10s") Duration initial,
            @DefaultValue("1h") Duration max,
            @DefaultValue("100") int maxAttempts) {}

    /**
     * @param groups staff groups by name: who hears of which events, in which language
     * @param digestWindow how long a group's alerts are collected before they go out as one mail
     * @param digestItems how many alerts a digest lists one by one (the rest are counted)
     */
    public record Staff(
            @DefaultValue Map<String, Group> groups,
            @DefaultValue("5m") Duration digestWindow,
            @DefaultValue("50") int digestItems) {}

    /**
     * @param recipients the group's addresses
     * @param events the event types the group hears of ({@code job_run.failed}, {@code fiscal.receipt_failed}, ...)
     * @param language the language of the group's digests
     */
    public record Group(
            List<String> recipients,
            List<String> events,
            @DefaultValue("ru") Language language) {

        public Group {
            recipients = recipients == null ? List.of() : List.copyOf(recipients);
            events = events == null ? List.of() : List.copyOf(events);
        }
    }
}
