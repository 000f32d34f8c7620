package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
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
import io.kopek.report.CsvProfile;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportType;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Reports as accountants get them: runs generated from real payments through the generator, their files opened as
 * a spreadsheet program or a PDF reader would, and what they show compared with the ledger.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class ReportFilesTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    /** A customer's name that a spreadsheet would run as a formula if it were written as one. */
    static final String FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"Нажми\")";

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
    ReportRuns runs;

    @Autowired
    ReportGenerator generator;

    long customer;
    Shop shop;

    @BeforeEach
    void aCustomerWhoToppedUpAndPaid() {
        shop = new Shop(catalog, pricing, customers, invoicing, clock);
        customer = shop.customer(CustomerType.INDIVIDUAL, FORMULA_NAME);
        long product = shop.product(shop.category("files", "standard"), 1_500_00);
        shop.on(DAY);
        payments.topUp(customer, Money.rub(1_234_567_89), "TU-" + shop.run);
        Invoice invoice = shop.invoice(customer, DAY, product, 1);
        payments.payFromBalance(invoice.id(), Money.rub(1_000_00));
        clock.set(Instant.now());
    }

    @Test
    void theWorkbookHoldsNumbersDatesAndFormulaLikeTextAsTextWithTotalsThatFollowTheLedger() throws Exception {
        ReportRun run = generate(ReportType.PAYMENTS, ReportFormat.XLSX, payments(), null);

        try (InputStream in = Files.newInputStream(file(run));
                XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            assertThat(workbook.getSheetAt(0).getSheetName()).isEqualTo("Отчёт");
            Sheet sheet = workbook.getSheet("Платежи");
            assertThat(sheet.getRow(0).getCell(11).getStringCellValue()).isEqualTo("Сумма");
            Row topUp = sheet.getRow(1);
            Row paid = sheet.getRow(2);
            assertThat(topUp.getCell(0).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(DateUtil.isCellDateFormatted(topUp.getCell(0))).isTrue();
            assertThat(topUp.getCell(0).getLocalDateTimeCellValue().toLocalDate())
                    .isEqualTo(DAY);
            Cell name = topUp.getCell(5);
            assertThat(name.getCellType()).isEqualTo(CellType.STRING);
            assertThat(name.getStringCellValue()).isEqualTo(FORMULA_NAME);
            assertThat(name.getCellStyle().getQuotePrefixed()).isTrue();
            assertThat(topUp.getCell(11).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(topUp.getCell(11).getNumericCellValue()).isEqualTo(1_234_567.89);
            assertThat(paid.getCell(11).getNumericCellValue()).isEqualTo(1_000.00);
            Row totals = sheet.getRow(4); // under the data, after a blank row the autofilter leaves alone
            assertThat(totals.getCell(11).getCellFormula()).isEqualTo("SUBTOTAL(109,L2:L3)");
            double evaluated = workbook.getCreationHelper()
                    .createFormulaEvaluator()
                    .evaluate(totals.getCell(11))
                    .getNumberValue();
            // what was paid in less what was spent is what the balance holds
            assertThat(BigDecimal.valueOf(paid.getCell(11).getNumericCellValue())
                            .subtract(BigDecimal.valueOf(topUp.getCell(11).getNumericCellValue()))
                            .negate())
                    .isEqualByComparingTo(roubles(balance()));
            assertThat(BigDecimal.valueOf(evaluated)).isEqualByComparingTo("1235567.89");
        }
    }

    @Test
    void bothCsvProfilesReadBackToWhatTheLedgerSays() throws Exception {
        ReportRun excel = generate(ReportType.CUSTOMER_BALANCES, ReportFormat.CSV, balances(), CsvProfile.EXCEL_RU);
        ReportRun plain = generate(ReportType.CUSTOMER_BALANCES, ReportFormat.CSV, balances(), CsvProfile.PLAIN);
        ReportRun names = generate(ReportType.PAYMENTS, ReportFormat.CSV, payments(), CsvProfile.EXCEL_RU);

        byte[] excelBytes = Files.readAllBytes(file(excel));
        assertThat(excelBytes).startsWith(0xEF, 0xBB, 0xBF);
        List<String[]> excelRows = csv(excelBytes, 3, ';');
        assertThat(excelRows.get(0)).contains("Остаток аванса");
        String[] row = excelRows.get(1);
        assertThat(row[0]).isEqualTo(Long.toString(customer));
        assertThat(row[5]).isEqualTo(roubles(balance()).toPlainString().replace('.', ','));

        byte[] plainBytes = Files.readAllBytes(file(plain));
        assertThat(plainBytes[0]).isNotEqualTo((byte) 0xEF);
        List<String[]> plainRows = csv(plainBytes, 0, ',');
        assertThat(plainRows.get(0)).contains("balance", "customer_id");
        assertThat(plainRows.get(1)[5]).isEqualTo(roubles(balance()).toPlainString());

        List<String[]> paymentRows = csv(Files.readAllBytes(file(names)), 3, ';');
        assertThat(paymentRows.get(1)[5]).isEqualTo("'" + FORMULA_NAME);
        assertThat(paymentRows.get(1)[0])
                .startsWith(DAY.format(java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy")));
        assertThat(paymentRows.get(1)[11]).isEqualTo("1234567,89");
    }

    @Test
    void thePdfShowsTheCyrillicTitleTheFiltersAndTheLedgersTotals() throws Exception {
        ReportRun run = generate(ReportType.CUSTOMER_BALANCES, ReportFormat.PDF, balances(), null);

        String text;
        try (var pdf = Loader.loadPDF(file(run).toFile())) {
            // the PDF groups thousands with no-break spaces, as Russian typography does
            text = new PDFTextStripper().getText(pdf).replace('\u00A0', ' ').replace('\u202F', ' ');
        }
        assertThat(text)
                .contains("Авансы покупателей")
                .contains("На дату: " + LocalDate.now(Shop.MOSCOW).format(BusinessDays.RUSSIAN_DATE))
                .contains("Покупатель: № " + customer)
                .contains("Остаток аванса")
                .contains(money(balance()))
                .contains("Страница 1 из");
        assertThat(money(balance())).isEqualTo("1 233 567,89");
    }

    private ReportFilters payments() {
        return new ReportFilters(DAY, DAY, null, null, null, null, null, customer, null, null);
    }

    private ReportFilters balances() {
        return new ReportFilters(null, null, null, null, null, null, null, customer, null, null);
    }

    private long balance() {
        return ledger.balance(Shop.balance(customer)).orElseThrow().posted().minor();
    }

    private static BigDecimal roubles(long minor) {
        return BigDecimal.valueOf(minor, 2);
    }

    /** Roubles as Russian documents write them: groups of three apart, a decimal comma. */
    private static String money(long minor) {
        String plain = roubles(minor).toPlainString();
        String whole = plain.substring(0, plain.length() - 3);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                grouped.append(' ');
            }
            grouped.append(whole.charAt(i));
        }
        return grouped + "," + plain.substring(plain.length() - 2);
    }

    private ReportRun generate(ReportType type, ReportFormat format, ReportFilters filters, CsvProfile profile) {
        ReportRun run = generator.generate(
                runs.request(new NewReportRun(type, format, filters, profile, null), "test accountant")
                        .id());
        assertThat(run.state()).as(run.failure()).isEqualTo(ReportRunState.SUCCEEDED);
        return run;
    }

    private Path file(ReportRun run) {
        return runs.file(run.id()).path();
    }

    private static List<String[]> csv(byte[] bytes, int skip, char separator) throws Exception {
        String text = new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(new CSVParserBuilder().withSeparator(separator).build())
                .build()) {
            return reader.readAll();
        }
    }
}
