package io.kopek.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.MailTestApplication;
import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customer;
import io.kopek.customer.Customers;
import io.kopek.customer.Language;
import io.kopek.money.Money;
import io.kopek.notification.NotificationConsumer;
import io.kopek.pricing.Pricing;
import io.kopek.testing.TestClockConfiguration;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * E-mail end to end: events in the outbox, the notifications consumer recording mails in its transaction, the mail
 * pump sending them to a GreenMail SMTP server on loopback.
 */
@SpringBootTest(
        classes = MailTestApplication.class,
        properties = {
            "kopek.notifications.enabled=false",
            "kopek.notifications.settle=0s",
            "kopek.notifications.mail.from=Kopek <billing@kopek.test>",
            "kopek.notifications.mail.retry.initial=100ms",
            "kopek.notifications.mail.retry.max=200ms",
            "kopek.notifications.mail.staff.digest-window=2s",
            "kopek.notifications.mail.staff.groups.ops.recipients[0]=ops@kopek.test",
            "kopek.notifications.mail.staff.groups.ops.recipients[1]=cfo@kopek.test",
            "kopek.notifications.mail.staff.groups.ops.language=en",
            "kopek.notifications.mail.staff.groups.ops.events=fiscal.receipt_failed,job_run.failed,"
                    + "reconciliation.completed,fiscal.unfiscalized,search.drift_found,webhook_endpoint.disabled",
        })
@Import(TestClockConfiguration.class)
class MailTest {

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        MailFixture.smtp(registry);
    }

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Payments payments;

    @Autowired
    Holds holds;

    @Autowired
    NotificationConsumer consumer;

    @Autowired
    MailPump pump;

    @Autowired
    JdbcClient jdbc;

    MailFixture shop;

    @BeforeEach
    void shop() {
        shop = new MailFixture(catalog, pricing, customers, invoicing);
    }

    @Test
    void everyCustomerEventIsMailedInTheCustomersLanguage() throws Exception {
        Customer ivan = shop.customer("Иван Петров", Language.RU);
        Customer john = shop.customer("John Smith", Language.EN);
        Map<String, String> ru = customerEvents(ivan);
        Map<String, String> en = customerEvents(john);

        deliver();

        checkMails(
                ivan,
                "Здравствуйте, Иван Петров!",
                Map.ofEntries(
                        Map.entry("invoice.issued", "Счёт " + ru.get("n1") + " на 2 469,00 RUB"),
                        Map.entry("payment.succeeded", "Платёж на 1 000,00 RUB получен"),
                        Map.entry("invoice.partially_paid", "Счёт " + ru.get("n1") + " оплачен частично"),
                        Map.entry("invoice.paid", "Счёт " + ru.get("n1") + " оплачен"),
                        Map.entry("refund.succeeded", "Возврат 100,00 RUB"),
                        Map.entry("hold.placed", "Заблокировано 1 234,50 RUB по счёту " + ru.get("n2")),
                        Map.entry("hold.released", "Блокировка по счёту " + ru.get("n2") + " снята"),
                        Map.entry("invoice.canceled", "Счёт " + ru.get("n2") + " отменён"),
                        Map.entry("hold.captured", "Списано 1 234,50 RUB по счёту " + ru.get("n3")),
                        Map.entry("hold.expiring", "Блокировка по счёту " + ru.get("n4") + " скоро истечёт"),
                        Map.entry("hold.expired", "Блокировка по счёту " + ru.get("n4") + " истекла"),
                        Map.entry("card_payment.failed", "Оплата картой по счёту " + ru.get("n4") + " не прошла"),
                        Map.entry("invoice.overdue", "Счёт " + ru.get("n4") + " просрочен"),
                        Map.entry("fiscal.receipt_done", "Кассовый чек на 2 469,00 RUB")));
        checkMails(
                john,
                "Hello John Smith,",
                Map.ofEntries(
                        Map.entry("invoice.issued", "Invoice " + en.get("n1") + " for 2,469.00 RUB"),
                        Map.entry("payment.succeeded", "Payment of 1,000.00 RUB received"),
                        Map.entry("invoice.partially_paid", "Invoice " + en.get("n1") + " is partially paid"),
                        Map.entry("invoice.paid", "Invoice " + en.get("n1") + " is paid"),
                        Map.entry("refund.succeeded", "Refund of 100.00 RUB"),
                        Map.entry("hold.placed", "1,234.50 RUB held for invoice " + en.get("n2")),
                        Map.entry("hold.released", "Hold for invoice " + en.get("n2") + " released"),
                        Map.entry("invoice.canceled", "Invoice " + en.get("n2") + " is canceled"),
                        Map.entry("hold.captured", "1,234.50 RUB captured for invoice " + en.get("n3")),
                        Map.entry("hold.expiring", "Hold for invoice " + en.get("n4") + " expires soon"),
                        Map.entry("hold.expired", "Hold for invoice " + en.get("n4") + " expired"),
                        Map.entry("card_payment.failed", "Card payment for invoice " + en.get("n4") + " failed"),
                        Map.entry("invoice.overdue", "Invoice " + en.get("n4") + " is overdue"),
                        Map.entry("fiscal.receipt_done", "Receipt for 2,469.00 RUB")));

        // The bodies: what happened, in the customer's language, in both parts.
        Map<String, String> ivans = texts(ivan);
        assertThat(ivans.get("Счёт " + ru.get("n1") + " на 2 469,00 RUB"))
                .contains("Вам выставлен счёт " + ru.get("n1") + " на сумму 2 469,00 RUB")
                .contains("Оплатить до: ");
        assertThat(ivans.get("Кассовый чек на 2 469,00 RUB"))
                .contains("ФН: 9999078900012345")
                .contains("ФД: 4242")
                .contains("ФП: 3828895742");
        Map<String, String> johns = texts(john);
        assertThat(johns.get("Invoice " + en.get("n1") + " for 2,469.00 RUB"))
                .contains("Invoice " + en.get("n1") + " for 2,469.00 RUB (including VAT")
                .contains("Due date: ");
        assertThat(johns.get("Card payment for invoice " + en.get("n4") + " failed"))
                .contains("failed: card declined by the issuer");
    }

    @Test
    void invoiceIssuedCarriesTheInvoiceAsPdf() throws Exception {
        Customer ivan = shop.customer("Анна Смирнова", Language.RU);
        Invoice invoice = shop.invoice(ivan, "3");

        deliver();

        MimeMessage mail = MailFixture.to(ivan.email()).getFirst();
        Map<String, byte[]> attachments = attachments(mail);
        assertThat(attachments).containsOnlyKeys(InvoicePdf.fileName(invoice));
        try (PDDocument pdf = Loader.loadPDF(attachments.get(InvoicePdf.fileName(invoice)))) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text)
                    .contains("Счёт № " + invoice.number())
                    .contains("Итого: 3 703,50 RUB")
                    .contains("ООО «Тестовый магазин»")
                    .contains("40702810700000012345")
                    .contains("Анна Смирнова")
                    .contains("Годовая подписка «Про»");
        }
        // Deterministic: the same invoice, the same bytes.
        assertThat(InvoicePdf.render(
                        invoice,
                        catalog.merchant(invoice.merchantId()).orElseThrow(),
                        ivan,
                        Language.RU,
                        java.time.ZoneId.of("Europe/Moscow")))
                .isEqualTo(InvoicePdf.render(
                        invoice,
                        catalog.merchant(invoice.merchantId()).orElseThrow(),
                        ivan,
                        Language.RU,
                        java.time.ZoneId.of("Europe/Moscow")));
        assertThat(text(mail, "text/plain")).contains("Счёт приложен к письму в формате PDF");
    }

    @Test
    void staffAlertsGoOutAsOneDigestPerGroupAndWindow() throws Exception {
        publish(
                "job_run.failed",
                "job_run",
                7,
                "{\"jobRunId\": 7, \"job\": \"registryImport\", \"exitCode\":"
                        + " \"FAILED\", \"message\": \"disk full\", \"failedAt\": \"2026-12-04T10:15:00Z\"}");
        publish(
                "reconciliation.completed",
                "reconciliation_run",
                8,
                "{\"runId\": 8, \"provider\": \"sber\","
                        + " \"businessDate\": \"2026-12-03\", \"results\": {\"matched\": {\"count\": 90, \"amount\": 1}}}");
        publish(
                "reconciliation.completed",
                "reconciliation_run",
                9,
                "{\"runId\": 9, \"provider\": \"yookassa\","
                        + " \"businessDate\": \"2026-12-03\", \"results\": {\"matched\": {\"count\": 90, \"amount\": 1},"
                        + " \"amount_mismatch\": {\"count\": 3, \"amount\": 500}}}");
        publish(
                "fiscal.unfiscalized",
                "fiscal_check",
                10,
                "{\"day\": \"2026-12-03\", \"count\": 0, \"eventKeys\": [],"
                        + " \"checkedAt\": \"2026-12-04T03:00:00Z\"}");
        publish(
                "webhook_endpoint.disabled",
                "webhook_endpoint",
                11,
                "{\"endpointId\": 11, \"merchantId\": 5,"
                        + " \"url\": \"https://hooks.example/x\", \"reason\": \"410 Gone\", \"contactEmail\":"
                        + " \"dev@shop.test\"}");
        publish(
                "search.drift_found",
                "search_drift_check",
                12,
                "{\"checkedAt\": \"2026-12-04T03:30:00Z\", \"differences\": [{\"index\": \"payments\","
                        + " \"day\": \"2026-12-03\", \"esCount\": 9, \"dbCount\": 10, \"esSum\": 900,"
                        + " \"dbSum\": 1000}]}");

        // then a burst of receipt failures: the digest lists the alerts in the order they happened
        for (int i = 0; i < 200; i++) {
            publish(
                    "fiscal.receipt_failed",
                    "receipt",
                    1000 + i,
                    "{\"receiptId\": " + (1000 + i) + ", \"eventKey\": \"payment:" + i
                            + "\", \"reason\": \"ATOL error 32\"}");
        }

        consumer.poll();
        pump.pump(); // the window has not passed: nothing for staff yet
        assertThat(MailFixture.to("ops@kopek.test")).isEmpty();

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    pump.pump();
                    return MailFixture.to("ops@kopek.test").size() >= 1
                            && MailFixture.to("cfo@kopek.test").size() >= 1;
                });
        pump.pump();

        List<MimeMessage> ops = MailFixture.to("ops@kopek.test");
        assertThat(ops).hasSize(1);
        assertThat(MailFixture.to("cfo@kopek.test")).hasSize(1);
        assertThat(ops.getFirst().getSubject()).isEqualTo("[Kopek] ops: 204 alerts");
        String text = text(ops.getFirst(), "text/plain");
        assertThat(text)
                .contains("Receipt failed: 200")
                .contains("Job failed: 1")
                .contains("Reconciliation discrepancies: 1")
                .contains("Webhook endpoint disabled: 1")
                .contains("Job registryImport (run 7) failed at 4 Dec 2026 13:15 (Europe/Moscow): exit code FAILED,"
                        + " disk full")
                .contains("Reconciliation of yookassa for 3 Dec 2026 (run 9): 3 discrepancies (amount_mismatch 3)")
                .contains("Search index drift: 1")
                .contains("Search indices checked at 4 Dec 2026 06:30 (Europe/Moscow) differ from PostgreSQL")
                .contains("(index/database): payments 2026-12-03: 9/10 documents, sum 900/1000")
                .contains("…and 154 more.")
                .doesNotContain("Payments without a receipt");
        assertThat(text.lines().filter(l -> l.contains("Receipt 1"))).hasSize(46);
        assertThat(text(ops.getFirst(), "text/html")).contains("<li>");

        // The disabled endpoint's contact hears of it directly, in the default language.
        List<MimeMessage> contact = MailFixture.to("dev@shop.test");
        assertThat(contact).hasSize(1);
        assertThat(contact.getFirst().getSubject()).isEqualTo("Вебхук https://hooks.example/x отключён");
        assertThat(text(contact.getFirst(), "text/plain")).contains("410 Gone");
    }

    @Test
    void mailsWaitWhileTheSmtpServerIsDownAndAreDeliveredOnceItIsBack() throws Exception {
        Customer customer = shop.customer("Ольга Down", Language.RU);
        MailFixture.SMTP.stop();
        try {
            shop.invoice(customer, "1");
            consumer.poll();
            pump.pump();
            pump.pump();
            Map<String, Object> row = jdbc.sql(
                            "select state, attempts, last_error from mail_message where recipient = ?")
                    .param(customer.email())
                    .query()
                    .singleRow();
            assertThat(row.get("state")).isEqualTo("pending");
            assertThat((Integer) row.get("attempts")).isGreaterThanOrEqualTo(1);
            assertThat((String) row.get("last_error")).isNotBlank();
        } finally {
            MailFixture.SMTP.start();
        }
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    pump.pump();
                    return !MailFixture.to(customer.email()).isEmpty();
                });
        Thread.sleep(500);
        pump.pump();
        assertThat(MailFixture.to(customer.email())).hasSize(1);
        assertThat(jdbc.sql("select state from mail_message where recipient = ?")
                        .param(customer.email())
                        .query(String.class)
                        .single())
                .isEqualTo("sent");
    }

    @Test
    void aResendAfterACrashBetweenSendAndMarkIsTheSameMail() throws Exception {
        Customer customer = shop.customer("Пётр Crash", Language.RU);
        Invoice invoice = shop.invoice(customer, "1");
        deliver();
        // The crash: the mail went out but its row still says it is due (as if the mark was never committed).
        jdbc.sql("update mail_message set state = 'pending', next_attempt_at = now() where recipient = ?")
                .param(customer.email())
                .update();
        pump.pump();

        List<MimeMessage> received = MailFixture.to(customer.email());
        assertThat(received).hasSize(2);
        MimeMessage first = received.get(0);
        MimeMessage again = received.get(1);
        assertThat(first.getMessageID())
                .startsWith("<" + eventId(customer.email()) + ".")
                .endsWith("@kopek>");
        assertThat(again.getMessageID()).isEqualTo(first.getMessageID());
        assertThat(again.getSubject()).isEqualTo(first.getSubject()).contains(invoice.number());
        assertThat(again.getSentDate()).isEqualTo(first.getSentDate());
        assertThat(text(again, "text/plain")).isEqualTo(text(first, "text/plain"));
        assertThat(text(again, "text/html")).isEqualTo(text(first, "text/html"));
        assertThat(attachments(again).values().iterator().next())
                .isEqualTo(attachments(first).values().iterator().next());
    }

    @Test
    void aCustomerWithoutAnEmailGetsNoMail() {
        Customer phoneOnly = customers.create(new io.kopek.customer.NewCustomer(
                io.kopek.customer.CustomerType.INDIVIDUAL, "Без почты", null, "+79990000099", null));
        shop.invoice(phoneOnly, "1");
        consumer.poll();
        assertThat(jdbc.sql("select count(*) from mail_message m join outbox_event e on e.event_id = m.event_id"
                                + " where e.payload ->> 'customerId' = ?")
                        .param(Long.toString(phoneOnly.id()))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    // --- the events of one customer -----------------------------------------------------------------------------

    /** Every customer event for the customer; answers the invoice numbers n1..n4. */
    private Map<String, String> customerEvents(Customer c) {
        Map<String, String> numbers = new LinkedHashMap<>();
        // n1: issued, partly paid, paid, a refund, a receipt
        Invoice n1 = shop.invoice(c, "2");
        numbers.put("n1", n1.number());
        payments.topUp(c.id(), Money.rub(10_000_00), "PP-" + UUID.randomUUID());
        payments.payFromBalance(n1.id(), Money.rub(1_000_00));
        Payment rest = payments.payFromBalance(n1.id(), Money.rub(1_469_00));
        payments.refund(n1.id(), rest.id(), Money.rub(100_00), "returned");
        long receipt = jdbc.sql("""
                        insert into receipt (event_key, kind, state, invoice_id, customer_id, total, currency, document,
                                             operator, next_attempt_at, fn_number, fiscal_document_number,
                                             fiscal_document_attribute, fiscal_receipt_number, registered_at)
                        values (?, 'sell', 'done', ?, ?, 246900, 'RUB', '{}', 'atol', now(), '9999078900012345', 4242,
                                '3828895742', 7, now())
                        returning id""")
                .params("mail-test:" + UUID.randomUUID(), n1.id(), c.id())
                .query(Long.class)
                .single();
        publish(
                "fiscal.receipt_done",
                "receipt",
                receipt,
                "{\"receiptId\": " + receipt + ", \"eventKey\": \"x\","
                        + " \"kind\": \"sell\", \"total\": 246900, \"currency\": \"RUB\", \"customerId\": " + c.id()
                        + ", \"invoiceId\": " + n1.id() + "}");
        // n2: a hold placed and released, then canceled
        Invoice n2 = shop.invoice(c, "1");
        numbers.put("n2", n2.number());
        var hold2 = holds.place(n2.id(), null, null);
        holds.release(hold2.id());
        invoicing.cancel(n2.id());
        // n3: a hold captured
        Invoice n3 = shop.invoice(c, "1");
        numbers.put("n3", n3.number());
        var hold3 = holds.place(n3.id(), null, null);
        holds.capture(hold3.id(), Money.rub(1_234_50));
        // n4: a hold expiring and expired, a failed card payment, overdue (published as their owners would)
        Invoice n4 = shop.invoice(c, "1");
        numbers.put("n4", n4.number());
        var hold4 = holds.place(n4.id(), null, null);
        publish(
                "hold.expiring",
                "hold",
                hold4.id(),
                "{\"holdId\": " + hold4.id() + ", \"invoiceId\": " + n4.id()
                        + ", \"customerId\": " + c.id()
                        + ", \"amount\": 123450, \"currency\": \"RUB\", \"expiresAt\": \""
                        + hold4.expiresAt() + "\"}");
        publish("hold.expired", "hold", hold4.id(), "{\"holdId\": " + hold4.id() + ", \"invoiceId\": " + n4.id() + "}");
        publish(
                "card_payment.failed",
                "card_payment",
                1,
                "{\"cardPaymentId\": 1, \"invoiceId\": " + n4.id()
                        + ", \"provider\": \"yookassa\", \"reason\": \"card declined by the issuer\"}");
        publish(
                "invoice.overdue",
                "invoice",
                n4.id(),
                "{\"invoiceId\": " + n4.id() + ", \"number\": \"" + n4.number() + "\"}");
        return numbers;
    }

    private void publish(String type, String aggregate, long id, String payload) {
        jdbc.sql("select outbox_publish(?, 1, ?, ?, ?::jsonb)")
                .params(type, aggregate, id, payload)
                .query()
                .singleRow();
    }

    private void deliver() {
        while (consumer.poll().events() > 0) {
            // until the outbox is read
        }
        while (pump.pump() > 0) {
            // until nothing is due
        }
    }

    private void checkMails(Customer c, String greeting, Map<String, String> subjects) throws Exception {
        List<MimeMessage> mails = MailFixture.to(c.email());
        List<String> received = new ArrayList<>();
        for (MimeMessage mail : mails) {
            received.add(mail.getSubject());
            assertThat(mail.getFrom()[0].toString()).contains("billing@kopek.test");
            assertThat(text(mail, "text/plain")).startsWith(greeting);
            assertThat(text(mail, "text/html")).contains(greeting.replace("'", "&#39;"));
        }
        assertThat(received).containsAll(subjects.values());
        // Once per event: no subject twice except the payments, of which there are several.
        assertThat(received.stream().filter(s -> s.equals(subjects.get("invoice.issued"))))
                .hasSize(1);
    }

    private Map<String, String> texts(Customer c) throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        for (MimeMessage mail : MailFixture.to(c.email())) {
            texts.put(mail.getSubject(), text(mail, "text/plain"));
        }
        return texts;
    }

    private String eventId(String recipient) {
        return jdbc.sql("select event_id::text from mail_message where recipient = ? and event_type = 'invoice.issued'")
                .param(recipient)
                .query(String.class)
                .single();
    }

    /** The content of the message's part of that type (multipart/alternative inside, perhaps inside mixed). */
    static String text(Part part, String type) throws Exception {
        if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = text(multipart.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static Map<String, byte[]> attachments(MimeMessage mail) throws Exception {
        Map<String, byte[]> found = new LinkedHashMap<>();
        if (mail.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    part.getInputStream().transferTo(out);
                    found.put(part.getFileName(), out.toByteArray());
                }
            }
        }
        return found;
    }
}
