package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.webhook.WebhookReceiver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} between sending a webhook and recording it, with the packaged application as a real process: the
 * receiver has the request but has not answered when the process dies. The next process sends it again once the
 * claim's lease ends, with the same {@code webhook-id} and the same body; no event ever reaches the receiver under
 * two ids.
 */
class WebhookKillIT {

    private static final Pattern SECRET = Pattern.compile("\"secret\":\"([^\"]+)\"");

    private KopekProcesses kopek;
    private WebhookReceiver receiver;

    @AfterEach
    void cleanUp() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (kopek != null) {
            kopek.close();
        }
    }

    @Test
    void killDashNineBetweenSendAndMarkSendsTheSameIdAgainAndNeverASecondId() throws Exception {
        kopek = new KopekProcesses("kopek_webhook_kill_it");
        receiver = WebhookReceiver.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretKey = Base64.getEncoder().encodeToString(key);

        Process first = startApplication(secretKey);
        String created = kopek.post("/api/v1/webhook-endpoints", "{\"url\":\"" + receiver.url() + "\"}");
        Matcher secret = SECRET.matcher(created);
        assertThat(secret.find()).isTrue();
        receiver.trust(secret.group(1)).holdAnswers();

        long customer = KopekProcesses.id(kopek.post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}"""));
        kopek.post(
                "/api/v1/customers/" + customer + "/top-ups",
                "{\"amount\":{\"amount\":10000,\"currency\":\"RUB\"},\"reference\":\"PP-KILL\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (receiver.requests() == 0) {
            assertThat(System.nanoTime())
                    .as("the first delivery reaches the receiver")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        WebhookReceiver.Received inFlight = receiver.received().getFirst();

        KopekProcesses.kill(first); // the receiver holds the request: it was sent, and never marked
        receiver.release();
        assertThat(kopek.query("select state from webhook_message where event_id = '" + inFlight.id() + "'"))
                .as("the dead process left it unmarked")
                .isIn("pending", "failing");

        startApplication(secretKey);
        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!kopek.query("select count(*) from webhook_message where state <> 'delivered'")
                        .equals("0")
                || receiver.timesReceived(inFlight.id()) < 2) {
            assertThat(System.nanoTime())
                    .as("everything delivered after the restart: " + receiver)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }

        List<WebhookReceiver.Received> copies = receiver.received().stream()
                .filter(r -> r.id().equals(inFlight.id()))
                .toList();
        assertThat(copies).hasSizeGreaterThanOrEqualTo(2);
        assertThat(copies).allMatch(r -> r.bodyText().equals(inFlight.bodyText()));
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
        int events = Integer.parseInt(kopek.query("select count(*) from outbox_event"));
        int messages = Integer.parseInt(kopek.query("select count(*) from webhook_message"));
        assertThat(messages)
                .as("one message per event for the installation's endpoint")
                .isEqualTo(events);
        assertThat(receiver.distinctIds())
                .as("one id per event, never a second one")
                .isEqualTo(events);
        System.out.printf(
                "kill -9 with %s held at the receiver: %d requests for %d events after the restart%n",
                inFlight.id(), receiver.requests(), events);
    }

    private Process startApplication(String secretKey) throws Exception {
        return kopek.start(
                List.of(
                        "--kopek.notifications.settle=0s",
                        "--kopek.notifications.idle=100ms",
                        "--kopek.notifications.webhooks.allow-http=true",
                        "--kopek.notifications.webhooks.allowed-networks=127.0.0.0/8",
                        "--kopek.notifications.webhooks.request-timeout=2s",
                        "--kopek.notifications.webhooks.lease=3s"),
                // The sealing key from the environment, as in production.
                Map.of("KOPEK_NOTIFICATIONS_WEBHOOKS_SECRET_KEY", secretKey));
    }
}
