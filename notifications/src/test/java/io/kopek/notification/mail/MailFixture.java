package io.kopek.notification.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.PlaceOrder;
import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewMerchant;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.Customer;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.Language;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MerchantCodes;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A merchant with bank details, a product and its rule, customers, and a GreenMail SMTP server on loopback. */
final class MailFixture {

    static final int SMTP_PORT = freePort();
    static final GreenMail SMTP = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static {
        SMTP.start();
    }

    static final BankDetails BANK = new BankDetails(
            "ООО «Тестовый магазин»",
            "770401001",
            "40702810700000012345",
            "АО «Демо Банк»",
            "044525901",
            "30101810545250000901");

    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
        registry.add("spring.mail.properties.mail.smtp.timeout", () -> "2000");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<MimeMessage> to(String address) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(a -> a.toString().equals(address));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final long merchantId;
    final long productId;
    private final Customers customers;
    private final Invoicing invoicing;

    MailFixture(Catalog catalog, Pricing pricing, Customers customers, Invoicing invoicing) {
        this.customers = customers;
        this.invoicing = invoicing;
        String category = "mail-" + run;
        merchantId = catalog.createMerchant(
                        new NewMerchant(MerchantCodes.lettersOf(run), "Тестовый магазин", "7704567896", BANK))
                .id();
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                0,
                0,
                "standard",
                false,
                null,
                List.of("balance", "bank_transfer", "card"),
                List.of(),
                0));
        productId = catalog.createProduct(new NewProduct(
                        merchantId, "SKU-" + run, "Годовая подписка «Про»", category, Money.rub(1_234_50), "piece"))
                .id();
    }

    Customer customer(String name, Language language) {
        return customers.create(new NewCustomer(
                CustomerType.INDIVIDUAL,
                name,
                name.toLowerCase().replace(' ', '.') + "." + run + "@mail.test",
                null,
                null,
                language));
    }

    Invoice invoice(Customer customer, String quantity) {
        return invoicing.place(new PlaceOrder(
                customer.id(),
                "ORD-" + UUID.randomUUID().toString().substring(0, 8),
                null,
                List.of(new PlaceOrder.Item(productId, new BigDecimal(quantity)))));
    }
}
