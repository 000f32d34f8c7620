package io.kopek.demo;

import io.kopek.notification.webhook.WebhookEndpoint;
import io.kopek.notification.webhook.WebhookEndpoints;
import io.kopek.sandbox.webhook.WebhookReceiver;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo's webhook receiver: the sandbox's {@link WebhookReceiver} on a loopback port, standing for the systems of
 * the installation, registered at each start as an endpoint that hears every event (the endpoints of earlier starts,
 * whose receivers are gone, are deleted), and {@code GET /demo/webhooks}, a page listing what it received: each
 * message's {@code webhook-id}, type, whether its Standard Webhooks signature checked out by the receiver's own code,
 * and the body. Only requests from this machine are answered.
 */
@RestController
@Profile("demo")
class DemoWebhooks implements SmartLifecycle {

    static final String DESCRIPTION = "Kopek demo receiver";

    private static final Logger log = LoggerFactory.getLogger(DemoWebhooks.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    private final WebhookEndpoints endpoints;
    private final Environment environment;
    private final ZoneId zone;
    private volatile WebhookReceiver receiver;

    DemoWebhooks(
            WebhookEndpoints endpoints,
            Environment environment,
            @Value("${kopek.business-zone:Europe/Moscow}") ZoneId zone) {
        this.endpoints = endpoints;
        this.environment = environment;
        this.zone = zone;
    }

    @Override
    public void start() {
        try {
            receiver = WebhookReceiver.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        receiver.close();
        receiver = null;
    }

    @Override
    public boolean isRunning() {
        return receiver != null;
    }

    /** Before the notification loops start sending, after them when stopping (as the demo's mail server). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }

    /** Before the demo data is seeded ({@code DemoData}, order 1), so the receiver hears of all of it. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    public void register() {
        for (WebhookEndpoint old : endpoints.list(null, 0, 1000)) {
            if (DESCRIPTION.equals(old.description())) {
                endpoints.delete(old.id());
            }
        }
        WebhookEndpoints.WithSecret registered = endpoints.register(new WebhookEndpoints.Registration(
                null, receiver.url().toString(), List.of(), DESCRIPTION, "ops@shop.demo.example"));
        receiver.trust(registered.secret());
        log.info(
                "demo: webhooks received: http://localhost:{}/demo/webhooks (endpoint {}, every event, secret {})",
                environment.getProperty("local.server.port", "8080"),
                registered.endpoint().id(),
                registered.secret());
    }

    @GetMapping(value = "/demo/webhooks", produces = MediaType.TEXT_HTML_VALUE + ";charset=UTF-8")
    ResponseEntity<String> received(HttpServletRequest request) {
        if (!loopback(request.getRemoteAddr())) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN)
                    .body("the demo's webhooks are shown on this machine only");
        }
        List<WebhookReceiver.Received> all = receiver == null ? List.of() : receiver.received();
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"UTF-8\">"
                + "<title>Kopek demo: webhooks received</title></head>"
                + "<body style=\"font-family: sans-serif\"><h1>Webhooks received: " + all.size() + "</h1>"
                + "<p>Each signed by Kopek (Standard Webhooks) and checked by the receiver's own code; see"
                + " docs/webhooks.md. The delivery log: GET /api/v1/webhook-endpoints/{id}/messages.</p>");
        for (int i = all.size() - 1; i >= 0; i--) {
            WebhookReceiver.Received message = all.get(i);
            Matcher type = TYPE.matcher(message.bodyText());
            page.append("<div class=\"webhook\" style=\"border-top: 1px solid #ccc; padding: 8px 0\"><div><b>")
                    .append(escape(type.find() ? type.group(1) : "?"))
                    .append("</b> · ")
                    .append(escape(TIME.format(message.receivedAt().atZone(zone))))
                    .append(" · webhook-id ")
                    .append(escape(message.id()))
                    .append(" · signature ")
                    .append(message.signatureValid() ? "valid" : "INVALID")
                    .append(" · answered ")
                    .append(message.status())
                    .append("</div><pre style=\"white-space: pre-wrap\">")
                    .append(escape(message.bodyText()))
                    .append("</pre></div>");
        }
        return ResponseEntity.ok(page.append("</body></html>").toString());
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String escape(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
