package io.kopek.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo's mail server: GreenMail's SMTP on the loopback port {@link DemoSandboxSettings} chose, which receives
 * every mail Kopek sends (customers' and staff's), and {@code GET /demo/mail}, a page listing them (time, to, subject,
 * the plain text). The page answers only requests from this machine: the mails hold customers' data.
 */
@RestController
@Profile("demo")
class DemoMail implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoMail.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GreenMail smtp;
    private final Environment environment;
    private final ZoneId zone;
    private volatile boolean running;

    DemoMail(
            @Value("${kopek.demo.sandbox.smtp-port}") int port,
            @Value("${kopek.business-zone:Europe/Moscow}") ZoneId zone,
            Environment environment) {
        this.smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        this.environment = environment;
        this.zone = zone;
    }

    @Override
    public void start() {
        smtp.start();
        running = true;
    }

    @Override
    public void stop() {
        smtp.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the notification loops (batch role) start sending, after them when stopping. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void announce() {
        log.info(
                "demo: mails received: http://localhost:{}/demo/mail",
                environment.getProperty("local.server.port", "8080"));
    }

    @GetMapping(value = "/demo/mail", produces = MediaType.TEXT_HTML_VALUE + ";charset=UTF-8")
    ResponseEntity<String> mails(HttpServletRequest request) throws Exception {
        if (!loopback(request.getRemoteAddr())) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body("the demo's mails are shown on this machine only");
        }
        MimeMessage[] received = smtp.getReceivedMessages();
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"UTF-8\">"
                + "<title>Kopek demo: mails received</title></head>"
                + "<body style=\"font-family: sans-serif\"><h1>Mails received: " + received.length + "</h1>");
        for (int i = received.length - 1; i >= 0; i--) {
            MimeMessage mail = received[i];
            String time = mail.getReceivedDate() != null
                    ? TIME.format(mail.getReceivedDate().toInstant().atZone(zone))
                    : mail.getSentDate() == null
                            ? ""
                            : TIME.format(mail.getSentDate().toInstant().atZone(zone));
            page.append("<div class=\"mail\" style=\"border-top: 1px solid #ccc; padding: 8px 0\">")
                    .append("<div><b>")
                    .append(escape(mail.getSubject()))
                    .append("</b></div><div>")
                    .append(escape(time))
                    .append(" · to ")
                    .append(escape(addresses(mail.getAllRecipients())))
                    .append(attachments(mail))
                    .append("</div><pre style=\"white-space: pre-wrap\">")
                    .append(escape(text(mail)))
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

    private static String addresses(Address[] addresses) {
        return addresses == null
                ? ""
                : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
    }

    private static String attachments(MimeMessage mail) throws Exception {
        if (!(mail.getContent() instanceof Multipart multipart)) {
            return "";
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < multipart.getCount(); i++) {
            Part part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                names.append(" · attached ").append(escape(part.getFileName()));
            }
        }
        return names.toString();
    }

    /** The plain-text part (inside multipart/alternative, perhaps inside multipart/mixed). */
    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return String.valueOf(part.getContent());
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = text(multipart.getBodyPart(i));
                if (!text.isEmpty()) {
                    return text;
                }
            }
            return "";
        }
        return part instanceof MimeMessage m ? GreenMailUtil.getBody(m) : "";
    }

    private static String escape(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
