package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.catalog.Catalog;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The turnover sheet of real postings (a top-up, invoices, a payment from the balance, a bank transfer, a refund on
 * days of November): each account ties out, debits equal credits per currency, and the closing balances are the
 * ledger's own.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class TurnoverSheetTest {

    static final int ACCOUNT = 0, SIDE = 2, OPEN_D = 3, OPEN_C = 4, TURN_D = 5, TURN_C = 6, CLOSE_D = 7, CLOSE_C = 8;
    static final LocalDate FROM = LocalDate.of(2026, 11, 3);

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
    Ledger ledger;

    @Autowired
    MutableClock clock;

    @Autowired
    TurnoverSheet turnover;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void everyAccountTiesOutDebitsEqualCreditsAndTheClosingBalancesAreTheLedgers() {
        Shop shop = new Shop(catalog, pricing, customers, invoicing, clock);
        String category = shop.category("osv", "standard");
        long product = shop.product(category, 1200_00);
        long customer = shop.customer(CustomerType.COMPANY, "ООО Оборот");

        shop.on(LocalDate.of(2026, 11, 1));
        payments.topUp(customer, Money.rub(10_000_00), "TOPUP-" + shop.run);
        shop.on(LocalDate.of(2026, 11, 2));
        Invoice first = shop.invoice(customer, null, product, 1);
        shop.on(FROM);
        payments.payFromBalance(first.id(), Money.rub(1200_00));
        shop.on(LocalDate.of(2026, 11, 5));
        Invoice second = shop.invoice(customer, null, product, 2);
        shop.on(LocalDate.of(2026, 11, 6));
        payments.recordBankTransfer(second.id(), Money.rub(1000_00), "PP-" + shop.run);
        shop.on(LocalDate.of(2026, 11, 10));
        payments.refund(first.id(), null, Money.rub(200_00), "частичный возврат");

        LocalDate today = LocalDate.now(Shop.MOSCOW);
        long watermark = ledger.lastEntryId();
        Map<String, List<Object[]>> sheet =
                new Snapshot(transactions).read(turnover, Snapshot.period(FROM, today), today, watermark);
        List<Object[]> accounts = sheet.get("ОСВ");
        Map<String, Object[]> byCode = accounts.stream().collect(Collectors.toMap(r -> (String) r[ACCOUNT], r -> r));

        assertThat(byCode.get(Shop.balance(customer)))
                .containsExactly(Shop.balance(customer), "RUB", "Кт", 0L, 10_000_00L, 1200_00L, 200_00L, 0L, 9000_00L);
        assertThat(byCode.get(Shop.receivable(customer)))
                .containsExactly(
                        Shop.receivable(customer), "RUB", "Дт", 1200_00L, 0L, 2400_00L, 2200_00L, 1400_00L, 0L);
        VatRate vat = new VatRate("standard", 2200);
        long net = 1200_00L - vat.includedIn(1200_00L);
        long secondNet = 2400_00L - vat.includedIn(2400_00L);
        long refundNet = 200_00L - vat.includedIn(200_00L);
        assertThat(byCode.get("revenue:" + category + ":RUB"))
                .containsExactly(
                        "revenue:" + category + ":RUB",
                        "RUB",
                        "Кт",
                        0L,
                        net,
                        refundNet,
                        secondNet,
                        0L,
                        net + secondNet - refundNet);

        for (Object[] row : accounts) {
            long opening = (long) row[OPEN_D] - (long) row[OPEN_C];
            long closing = (long) row[CLOSE_D] - (long) row[CLOSE_C];
            assertThat(opening + (long) row[TURN_D] - (long) row[TURN_C])
                    .as("opening + debit − credit = closing for %s", row[ACCOUNT])
                    .isEqualTo(closing);
            long onNormalSide = row[SIDE].equals("Дт") ? closing : -closing;
            assertThat(ledger.balance((String) row[ACCOUNT])
                            .orElseThrow()
                            .posted()
                            .minor())
                    .as("the ledger's balance of %s", row[ACCOUNT])
                    .isEqualTo(onNormalSide);
        }
        List<Object[]> currencies = sheet.get("Итоги по валютам");
        assertThat(currencies).isNotEmpty();
        for (Object[] total : currencies) {
            assertThat(total[2]).as("opening Дт = Кт in %s", total[0]).isEqualTo(total[3]);
            assertThat(total[4]).as("turnover Дт = Кт in %s", total[0]).isEqualTo(total[5]);
            assertThat(total[6]).as("closing Дт = Кт in %s", total[0]).isEqualTo(total[7]);
            List<Object[]> ofCurrency =
                    accounts.stream().filter(r -> r[1].equals(total[0])).toList();
            assertThat(total[1]).isEqualTo((long) ofCurrency.size());
            for (int c = OPEN_D; c <= CLOSE_C; c++) {
                int column = c;
                assertThat(total[c - 1])
                        .isEqualTo(ofCurrency.stream()
                                .mapToLong(r -> (long) r[column])
                                .sum());
            }
        }
    }

    @Test
    void entriesAfterTheWatermarkAreLeftOutAndAccountsWithoutEntriesAreNotListed() {
        Shop shop = new Shop(catalog, pricing, customers, invoicing, clock);
        long customer = shop.customer(CustomerType.INDIVIDUAL, "Иван Водяной");
        shop.on(LocalDate.of(2026, 11, 12));
        payments.topUp(customer, Money.rub(700_00), "TOPUP-" + shop.run);
        long watermark = ledger.lastEntryId();
        shop.on(LocalDate.of(2026, 11, 13));
        payments.topUp(customer, Money.rub(50_00), "TOPUP2-" + shop.run);
        long later = shop.customer(CustomerType.INDIVIDUAL, "Пётр Поздний");
        payments.topUp(later, Money.rub(1_00), "TOPUP3-" + shop.run);

        LocalDate today = LocalDate.now(Shop.MOSCOW);
        Snapshot snapshot = new Snapshot(transactions);
        List<Object[]> before = snapshot.detail(turnover, Snapshot.period(FROM, today), today, watermark);
        List<Object[]> after = snapshot.detail(turnover, Snapshot.period(FROM, today), today, ledger.lastEntryId());

        assertThat(row(before, Shop.balance(customer))).containsExactly(0L, 0L, 0L, 700_00L, 0L, 700_00L);
        assertThat(before).noneMatch(r -> r[ACCOUNT].equals(Shop.balance(later)));
        assertThat(row(after, Shop.balance(customer))).containsExactly(0L, 0L, 0L, 750_00L, 0L, 750_00L);
        assertThat(row(after, Shop.balance(later))).containsExactly(0L, 0L, 0L, 1_00L, 0L, 1_00L);
    }

    private static Object[] row(List<Object[]> rows, String account) {
        return rows.stream()
                .filter(r -> r[ACCOUNT].equals(account))
                .findFirst()
                .map(r -> Arrays.copyOfRange(r, OPEN_D, CLOSE_C + 1))
                .orElseThrow();
    }
}
