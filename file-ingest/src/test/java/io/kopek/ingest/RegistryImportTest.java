package io.kopek.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.IngestTestApplication;
import io.kopek.pan.Pans;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistrySink;
import io.kopek.provider.RegistrySummary;
import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Registry files into staging with COPY, through a parser configured like a generic processor's. */
@SpringBootTest(classes = IngestTestApplication.class, properties = "kopek.ingest.limits.max-file-size=1MB")
@Import(RegistryImportTest.Parsers.class)
class RegistryImportTest {

    static final String HEADER = "payment_id;order;operation;amount;commission;time;card\r\n";

    @TestConfiguration(proxyBeanMethods = false)
    static class Parsers {
        /** With a totals line at the end. */
        @Bean
        RegistryParser withTotals() {
            return parser("testpay", "per-line", new RegistrySettings.TrailerSettings("TOTAL", 2, 3, 4));
        }

        @Bean
        RegistryParser perLine() {
            return parser("loosepay", "per-line", null);
        }

        @Bean
        RegistryParser allOrNothing() {
            return parser("strictpay", "all-or-nothing", null);
        }

        /** A parser that tells the business date only once it has read the file (the SPI's default). */
        @Bean
        RegistryParser learnsTheDayByReading() {
            RegistryParser parser = parser("slowpay", "per-line", null);
            return new RegistryParser() {
                @Override
                public String provider() {
                    return parser.provider();
                }

                @Override
                public boolean accepts(String fileName) {
                    return parser.accepts(fileName);
                }

                @Override
                public RegistrySummary parse(InputStream in, String fileName, RegistrySink sink) {
                    return parser.parse(in, fileName, sink);
                }
            };
        }

        static RegistryParser parser(String provider, String policy, RegistrySettings.TrailerSettings trailer) {
            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("payment-id", "payment_id");
            columns.put("order-number", "order");
            columns.put("operation", "operation");
            columns.put("amount", "amount");
            columns.put("commission", "commission");
            columns.put("time", "time");
            columns.put("card-mask", "card");
            return new ColumnMappedRegistryParser(new RegistrySettings(
                            provider + "_(?<date>\\d{8})\\.csv",
                            "yyyyMMdd",
                            "auto",
                            ";",
                            "comma",
                            "dd.MM.yyyy HH:mm:ss",
                            "Europe/Moscow",
                            "RUB",
                            columns,
                            Map.of("PAY", "payment", "REF", "refund"),
                            null,
                            trailer,
                            policy)
                    .format(provider));
        }
    }

    @TempDir
    Path dir;

    @Autowired
    RegistryImport imports;

    @Autowired
    JdbcClient jdbc;

    Path file(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    List<Map<String, Object>> lines(long fileId) {
        return jdbc.sql("select * from registry_line where file_id = ? order by line_no")
                .param(fileId)
                .query()
                .listOfRows();
    }

    /** The partitions of registry_line that hold the file's lines. */
    List<String> partitionsOf(long fileId) {
        return jdbc.sql("select distinct tableoid::regclass::text from registry_line where file_id = ?")
                .param(fileId)
                .query(String.class)
                .list();
    }

    boolean isPartitionOfTheLines(String table) {
        return jdbc.sql("select exists (select 1 from pg_inherits where inhparent = 'registry_line'::regclass"
                        + " and inhrelid = to_regclass(?))")
                .param(table)
                .query(Boolean.class)
                .single();
    }

    @Test
    void theImportMakesTheDaysPartitionFirstAndTheLinesLandInIt() throws IOException {
        assertThat(isPartitionOfTheLines("registry_line_20261001")).isFalse();

        RegistryFile file = imports.importFile(
                "loosepay",
                file(
                        "loosepay_20261001.csv",
                        HEADER
                                + "lp-d1;INV-1;PAY;10,00;0,30;01.10.2026 12:00:00;\r\n"
                                + "lp-d2;INV-2;PAY;20,00;0,60;30.09.2026 23:59:00;\r\n"));

        assertThat(file.status()).isEqualTo("imported");
        assertThat(isPartitionOfTheLines("registry_line_20261001")).isTrue();
        assertThat(partitionsOf(file.id())).containsExactly("registry_line_20261001");
        assertThat(lines(file.id()))
                .extracting(l -> l.get("business_date").toString())
                .containsExactly("2026-10-01", "2026-10-01");
    }

    @Test
    void twoImportsOfTheSameNewDayBothMakeItAndBothImport() throws Exception {
        Path loose = file("loosepay_20261002.csv", HEADER + "lp-c1;INV-1;PAY;10,00;0,30;02.10.2026 12:00:00;\r\n");
        Path strict = file("strictpay_20261002.csv", HEADER + "sp-c1;INV-1;PAY;10,00;0,30;02.10.2026 12:00:00;\r\n");
        CountDownLatch start = new CountDownLatch(1);

        List<RegistryFile> imported;
        try (ExecutorService two = Executors.newFixedThreadPool(2)) {
            Future<RegistryFile> a = two.submit(() -> {
                start.await();
                return imports.importFile("loosepay", loose);
            });
            Future<RegistryFile> b = two.submit(() -> {
                start.await();
                return imports.importFile("strictpay", strict);
            });
            start.countDown();
            imported = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));
        }

        assertThat(imported).extracting(RegistryFile::status).containsExactly("imported", "imported");
        assertThat(imported)
                .allSatisfy(f -> assertThat(partitionsOf(f.id())).containsExactly("registry_line_20261002"));
    }

    @Test
    void aParserThatLearnsTheDayOnlyByReadingStillImportsIntoTheDaysPartition() throws IOException {
        RegistryFile file = imports.importFile(
                "slowpay", file("slowpay_20261003.csv", HEADER + "sl-1;INV-1;PAY;10,00;0,30;03.10.2026 12:00:00;\r\n"));

        assertThat(file.status()).isEqualTo("imported");
        assertThat(file.businessDate()).isEqualTo(LocalDate.of(2026, 10, 3));
        assertThat(partitionsOf(file.id())).containsExactly("registry_line_20261003");
    }

    @Test
    void theImportListsThePaymentIdsOfSeveralLinesAndTheDayIsKnownWhileItHasOneFile() throws IOException {
        imports.importFile(
                "loosepay",
                file(
                        "loosepay_20261004.csv",
                        HEADER
                                + "lp-r1;INV-1;PAY;10,00;0,30;04.10.2026 12:00:00;\r\n"
                                + "lp-r2;INV-2;PAY;20,00;0,60;04.10.2026 12:00:01;\r\n"
                                + "lp-r1;INV-1;PAY;10,00;0,30;04.10.2026 12:00:00;\r\n" // a copy
                                + "lp-r3;INV-3;PAY;30,00;0,90;04.10.2026 12:00:02;\r\n"
                                + "lp-r3;INV-3;REF;5,00;0,00;04.10.2026 12:00:03;\r\n" // a refund of it
                                + ";INV-4;PAY;40,00;1,20;04.10.2026 12:00:04;\r\n"
                                + ";INV-5;PAY;50,00;1,50;04.10.2026 12:00:05;\r\n"));

        assertThat(repeatedPaymentIds("2026-10-04")).containsExactly("lp-r1", "lp-r3");
        assertThat(repeatsKnown("2026-10-04")).isTrue();

        imports.importFile(
                "loosepay",
                file("loosepay_20261004.csv", HEADER + "lp-r2;INV-2;PAY;20,00;0,60;04.10.2026 12:00:01;\r\n"));

        // lp-r2 is now on two lines of the day, in two files: no file's list says so
        assertThat(repeatedPaymentIds("2026-10-04")).containsExactly("lp-r1", "lp-r3");
        assertThat(repeatsKnown("2026-10-04")).isFalse();
    }

    List<String> repeatedPaymentIds(String day) {
        return jdbc.sql("select provider_payment_id from registry_imported_repeated_payment_id"
                        + " where provider = 'loosepay' and business_date = ?::date order by 1")
                .param(day)
                .query(String.class)
                .list();
    }

    boolean repeatsKnown(String day) {
        return jdbc.sql("select exists (select 1 from registry_repeats_known_day"
                        + " where provider = 'loosepay' and business_date = ?::date)")
                .param(day)
                .query(Boolean.class)
                .single();
    }

    @Test
    void theDaysTotalsAreTheSumsOfItsImportedLines() throws IOException {
        imports.importFile(
                "loosepay",
                file(
                        "loosepay_20261125.csv",
                        HEADER
                                + "lp-1;INV-1;PAY;1000,00;25,00;25.11.2026 12:00:00;\r\n"
                                + "lp-2;INV-2;REF;300,50;1,50;25.11.2026 13:30:00;\r\n"
                                + "lp-3;INV-3;PAY;oops;0,00;25.11.2026 13:31:00;\r\n"));
        imports.importFile(
                "loosepay",
                file(
                        "loosepay_20261125.csv", // a second file of the day (the first is imported already)
                        HEADER + "lp-4;INV-4;PAY;10,00;0,30;25.11.2026 14:00:00;\r\n"));

        var day = jdbc.sql("select lines, commission, settled_amount from registry_imported_day"
                        + " where provider = 'loosepay' and business_date = date '2026-11-25' and currency = 'RUB'")
                .query()
                .singleRow();
        var lines = jdbc.sql(
                        "select count(*) as lines, sum(commission) as commission, sum(settled_amount) as settled"
                                + " from registry_imported_line where provider = 'loosepay' and business_date = date '2026-11-25'")
                .query()
                .singleRow();

        assertThat(((Number) day.get("lines")).longValue()).isEqualTo(((Number) lines.get("lines")).longValue());
        assertThat(((Number) day.get("commission")).longValue()).isEqualTo(25_00 + 1_50 + 30);
        assertThat(((Number) day.get("settled_amount")).longValue())
                .isEqualTo((1_000_00 - 25_00) + (-300_50 - 1_50) + (10_00 - 30))
                .isEqualTo(((Number) lines.get("settled")).longValue());
    }

    @Test
    void aWellFormedFileIsCopiedIntoStagingAndRecognisedWhenDeliveredAgain() throws IOException {
        Path registry = file(
                "testpay_20261124.csv",
                HEADER
                        + "tp-1;INV-1;PAY;1000,00;25,00;24.11.2026 12:00:00;427600******1234\r\n"
                        + "tp-2;\"INV;2\";REF;300,50;0,00;24.11.2026 13:30:00;\r\n"
                        + "TOTAL;2;1300,50;25,00\r\n");

        RegistryFile first = imports.importFile("testpay", registry);
        RegistryFile again = imports.importFile("testpay", registry);

        assertThat(first.status()).isEqualTo("imported");
        assertThat(first.businessDate()).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(first.lines()).isEqualTo(2);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.redelivered()).isTrue();
        var lines = lines(first.id());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .containsEntry("provider_payment_id", "tp-1")
                .containsEntry("operation", "payment")
                .containsEntry("amount", 1_000_00L)
                .containsEntry("commission", 25_00L)
                .containsEntry("settled_amount", 975_00L)
                .containsEntry("card_mask", "427600******1234");
        assertThat(((java.sql.Timestamp) lines.get(0).get("operated_at")).toInstant())
                .isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(lines.get(1))
                .containsEntry("order_number", "INV;2")
                .containsEntry("operation", "refund")
                .containsEntry("settled_amount", -300_50L);
    }

    @Test
    void textsOfAnyLengthAndAlphabetAreStoredAsTheyCame() throws IOException {
        String longOrder = "Заказ №" + "7".repeat(5_000);
        Path registry = file(
                "loosepay_20261124.csv",
                HEADER
                        + "tp-1;" + longOrder + ";PAY;1000,00;25,00;24.11.2026 12:00:00;\r\n"
                        + "tp-ё;;PAY;1,00;0,00;24.11.2026 12:00:01;427600******1234\r\n");

        RegistryFile imported = imports.importFile("loosepay", registry);

        var lines = lines(imported.id());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("order_number", longOrder).containsEntry("card_mask", null);
        assertThat(lines.get(1))
                .containsEntry("provider_payment_id", "tp-ё")
                .containsEntry("order_number", null)
                .containsEntry("line_no", 3)
                .containsEntry("pan_masked", false);
        assertThat(((java.sql.Timestamp) lines.get(1).get("operated_at")).toInstant())
                .isEqualTo(Instant.parse("2026-11-24T09:00:01Z"));
    }

    @Test
    void aFileWhoseTotalsDoNotAddUpIsQuarantinedAndNothingOfItIsKept() throws IOException {
        Path registry = file(
                "testpay_20261123.csv",
                HEADER + "tp-3;INV-3;PAY;1000,00;25,00;23.11.2026 12:00:00;\r\n" + "TOTAL;1;9999,00;25,00\r\n");

        RegistryFile file = imports.importFile("testpay", registry);

        assertThat(file.status()).isEqualTo("quarantined");
        assertThat(file.reason()).containsIgnoringCase("total");
        assertThat(lines(file.id())).isEmpty();
        assertThat(jdbc.sql("select count(*) from outbox_event where type = 'registry.quarantined'"
                                + " and payload ->> 'fileId' = ?")
                        .param(Long.toString(file.id()))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void badLinesAreListedWithTheirNumbersWhileTheRestImports() throws IOException {
        Path registry = file(
                "loosepay_20261122.csv",
                HEADER
                        + "tp-4;INV-4;PAY;1000,00;25,00;22.11.2026 12:00:00;\r\n"
                        + "tp-5;INV-5;PAY;ten roubles;0,00;22.11.2026 12:00:00;\r\n"
                        + "tp-6;INV-6;GIFT;5,00;0,00;22.11.2026 12:00:00;\r\n");

        RegistryFile file = imports.importFile("loosepay", registry);

        assertThat(file.status()).isEqualTo("imported");
        assertThat(file.lines()).isEqualTo(1);
        assertThat(file.rejected()).isEqualTo(2);
        assertThat(imports.rejectedLines(file.id()))
                .extracting(r -> r.get("line_no"))
                .containsExactly(3, 4);
    }

    @Test
    void underAnAllOrNothingPolicyOneBadLineQuarantinesTheFile() throws IOException {
        Path registry = file(
                "strictpay_20261122.csv",
                HEADER
                        + "sp-1;INV-1;PAY;1000,00;25,00;22.11.2026 12:00:00;\r\n"
                        + "sp-2;INV-2;PAY;?;0,00;22.11.2026 12:00:00;\r\n");

        RegistryFile file = imports.importFile("strictpay", registry);

        assertThat(file.status()).isEqualTo("quarantined");
        assertThat(file.reason()).contains("all-or-nothing").contains("line 3");
        assertThat(lines(file.id())).isEmpty();
    }

    @Test
    void aFullCardNumberIsMaskedBeforeItIsStored() throws IOException {
        Path registry = file(
                "loosepay_20261121.csv",
                HEADER + "tp-7;INV-7;PAY;100,00;2,50;21.11.2026 12:00:00;4276380012345679\r\n");

        RegistryFile file = imports.importFile("loosepay", registry);

        var line = lines(file.id()).getFirst();
        assertThat(line.get("card_mask")).isEqualTo("427638******5679");
        assertThat(line.get("pan_masked")).isEqualTo(true);
        assertThat(jdbc.sql("select count(*) from registry_line where card_mask like '%0012%'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void cardNumbersInAnyShapeInIdsOrdersAndCardsAreStoredMaskedAndTheLinesImported() throws IOException {
        List<String> shapes = List.of(
                "4276.3800.1234.5679",
                "4276  3800  1234  5679",
                "4276_3800_1234_5679",
                "4276/3800/1234/5679",
                "card4276380012345679",
                "4276380012345679RUB",
                "3782 822463 10005");
        StringBuilder content = new StringBuilder(HEADER);
        for (int i = 0; i < shapes.size(); i++) {
            String pan = shapes.get(i);
            content.append("id-")
                    .append(pan)
                    .append(";order ")
                    .append(pan)
                    .append(";PAY;1,00;0,00;19.11.2026 12:00:0")
                    .append(i)
                    .append(";")
                    .append(pan)
                    .append("\r\n");
        }

        RegistryFile file = imports.importFile("loosepay", file("loosepay_20261119.csv", content.toString()));

        assertThat(file.status()).isEqualTo("imported");
        assertThat(file.lines()).isEqualTo(shapes.size());
        assertThat(file.rejected()).isZero();
        var lines = lines(file.id());
        assertThat(lines).hasSize(shapes.size()).allSatisfy(line -> {
            assertThat(line.get("pan_masked")).isEqualTo(true);
            for (String column : List.of("provider_payment_id", "order_number", "card_mask")) {
                assertThat((String) line.get(column)).matches(".*(427638\\*{6}5679|378282\\*{5}0005).*");
            }
        });
        assertThat(lines.get(4)).containsEntry("provider_payment_id", "id-card427638******5679");
    }

    @Test
    void theDatabaseRefusesAnUnmaskedCardNumberOnARegistryLine() throws IOException {
        RegistryFile file = imports.importFile(
                "loosepay",
                file("loosepay_20261118.csv", HEADER + "tp-8;INV-8;PAY;1,00;0,00;18.11.2026 12:00:00;\r\n"));

        for (String pan : List.of("4276.3800.1234.5679", "x4276 3800 1234 5679y", "3782-822463-10005")) {
            assertThatThrownBy(() -> jdbc.sql("update registry_line set order_number = ? where file_id = ?")
                            .params(pan, file.id())
                            .update())
                    .hasMessageContaining("registry_line_no_card_number");
        }
        assertThat(jdbc.sql("update registry_line set order_number = ? where file_id = ?")
                        .params("427638******5679, not 4276.3800.1234.5678", file.id())
                        .update())
                .as("masked, or not Luhn-valid")
                .isOne();
    }

    @Test
    void theDatabaseFindsTheCardNumbersPansFinds() {
        Random random = new Random(14);
        String alphabet = "0123456789012345678901234567890123456789 .-_/ab*";
        for (int n = 0; n < 3_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (n % 10 == 0) {
                // now and then a UUID among the text: an id both leave whole, whatever its digits
                text.insert(random.nextInt(text.length() + 1), " " + java.util.UUID.randomUUID() + " ");
            }
            if (n == 0) {
                text.append(" 2d9f4a12-000f-5000-8000-100000006abc"); // digits that pass the Luhn check across dashes
            }
            assertTheDatabaseFindsWhatPansFinds(text.toString());
        }
        // a value that is one UUID (a payment id) is let through before the digit groups; near misses are not
        for (String value : List.of(
                "2d9f4a12-000f-5000-8000-100000006abc",
                "2D9F4A12-000F-5000-8000-100000006ABC",
                java.util.UUID.randomUUID().toString(),
                "2d9f4a12-000f-5000-8000-100000006abcd",
                "2d9f4a12 000f-5000-8000-100000006abc",
                "x2d9f4a12-000f-5000-8000-100000006abc",
                "4276380012345678-000f-5000-8000-1000")) {
            assertTheDatabaseFindsWhatPansFinds(value);
        }
    }

    private void assertTheDatabaseFindsWhatPansFinds(String value) {
        assertThat(jdbc.sql("select ingest_holds_pan(?)")
                        .param(value)
                        .query(Boolean.class)
                        .single())
                .as(value)
                .isEqualTo(Pans.containsPan(value));
    }

    @Test
    void aLineWithANulCharacterIsRejectedWithItsReasonAndTheRestImported() throws IOException {
        Path registry = file(
                "loosepay_20261117.csv",
                HEADER
                        + "tp-9;INV-9;PAY;1,00;0,00;17.11.2026 12:00:00;\r\n"
                        + "tp-10;INV\u0000-10;PAY;2,00;0,00;17.11.2026 12:00:01;\r\n"
                        + "tp-11;INV-11;PAY;3,00;0,00;17.11.2026 12:00:02;\r\n");

        RegistryFile file = imports.importFile("loosepay", registry);

        assertThat(file.status()).isEqualTo("imported");
        assertThat(lines(file.id()))
                .extracting(l -> l.get("provider_payment_id"))
                .containsExactly("tp-9", "tp-11");
        assertThat(imports.rejectedLines(file.id())).singleElement().satisfies(r -> {
            assertThat(r.get("line_no")).isEqualTo(3);
            assertThat((String) r.get("reason")).contains("NUL").contains("order");
        });
    }

    @Test
    void aFileOverTheConfiguredSizeIsQuarantinedWithTheReason() throws IOException {
        String line = "tp-12;INV-12;PAY;1,00;0,00;16.11.2026 12:00:00;\r\n";
        Path registry = file("loosepay_20261116.csv", HEADER + line.repeat((1 << 20) / line.length() + 1));

        RegistryFile file = imports.importFile("loosepay", registry);

        assertThat(file.status()).isEqualTo("quarantined");
        assertThat(file.reason()).startsWith("too large: ").endsWith("over the limit of 1048576");
        assertThat(lines(file.id())).isEmpty();
    }

    @Test
    void aProviderWithoutAParserHasItsFilesQuarantined() throws IOException {
        RegistryFile file = imports.importFile("nobody", file("nobody_20261120.csv", HEADER));

        assertThat(file.status()).isEqualTo("quarantined");
        assertThat(file.reason()).isEqualTo("Kopek has no registry parser for provider nobody");
    }
}
