package io.kopek.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each benchmark, tiny, on every build: a benchmark nobody runs rots (a new foreign key broke one once). */
class BenchmarksTest {

    @Test
    void smokeComparesTheDataLayerWithCopy() throws Exception {
        String line = new SmokeBenchmark()
                .run(Options.parse(new String[] {"smoke", "--rows=2000", "--rounds=1"}))
                .line("smoke");

        assertThat(line).matches("RESULT smoke rows=2000 seconds=\\S+ copy_seconds=\\S+ ratio=\\S+");
    }

    @Test
    void reconImportsAndReconcilesADayAgainstCopyAndAJoinWritingAResultPerLine() throws Exception {
        String line = new ReconBenchmark()
                .run(Options.parse(new String[] {"recon", "--lines=3000", "--rounds=1"}))
                .line("recon");

        assertThat(line)
                .matches("RESULT recon lines=3000 lines_per_s=\\d+ seconds=\\S+ floor_seconds=\\S+"
                        + " bare_floor_seconds=\\S+ ratio=\\S+"
                        + " peak_heap_mb=\\d+ import_seconds=\\S+ rerun_seconds=\\S+");
    }

    @Test
    void fiscalComparesThePushJobWithTheOperatorClientAlone() throws Exception {
        String line = new FiscalBenchmark()
                .run(Options.parse(new String[] {"fiscal", "--receipts=40", "--rounds=1"}))
                .line("fiscal");

        assertThat(line)
                .matches("RESULT fiscal receipts=40 receipts_per_s=\\S+ latency_ms=50 floor_receipts_per_s=\\S+"
                        + " ratio=\\S+ ideal_receipts_per_s=320\\.000 concurrency=16");
    }

    @Test
    void excelWritesThePaymentsRegisterThroughTheReportPathAgainstBareSxssf() throws Exception {
        String line = new ExcelBenchmark()
                .run(Options.parse(new String[] {"excel", "--rows=3000", "--rounds=1"}))
                .line("excel");

        assertThat(line).matches("RESULT excel rows=3000 seconds=\\S+ bare_seconds=\\S+ ratio=\\S+ peak_heap_mb=\\d+");
    }

    @Test
    void indexComparesTheOutboxConsumerWithABareBulkLoad() throws Exception {
        String line = new IndexBenchmark()
                .run(Options.parse(new String[] {"index", "--docs=3000"}))
                .line("index");

        assertThat(line).matches("RESULT index docs=3000 docs_per_s=\\d+ floor_docs_per_s=\\d+ ratio=\\S+");
    }

    @Test
    void webhooksDeliversEveryEventToTheReceiverOnce() throws Exception {
        String line = new WebhooksBenchmark()
                .run(Options.parse(new String[] {"webhooks", "--events=200"}))
                .line("webhooks");

        assertThat(line).matches("RESULT webhooks events=200 per_s=\\d+ p99_ms=\\d+");
    }

    @Test
    void apiDrivesHoldAndCaptureWithWrkAgainstPgbenchAndSaysWhereTheCpuAndTheInstructionsGo() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assumeTrue(Files.exists(root.resolve("app/target/kopek.jar")), "the application jar is built before bench/");
        assumeTrue(hasPgbench(), "pgbench (PostgreSQL's client tools) is installed");
        System.setProperty("kopek.root", root.toString());

        String line = new ApiBenchmark()
                .run(Options.parse(new String[] {
                    "api",
                    "--clients=2",
                    "--seconds=2",
                    "--rounds=1",
                    "--warmup=1",
                    "--sql-batch=2",
                    "--instructions=10",
                    "--instructions-batch=2"
                }))
                .line("api");

        assertThat(line)
                .matches(
                        "RESULT api tps=\\S+ pgbench_tps=\\S+ ratio=\\S+ p50_ms=\\S+ p99_ms=\\S+ sql_tps=\\S+ sql_ratio=\\S+"
                                + " app_cpu_ms=\\S+ db_cpu_ms=\\S+ other_cpu_pct=\\S+ db_minstr_pair=\\S+ db_minstr_tpcb=\\S+"
                                + " db_instr_ratio=\\S+ sql_batch=2 sql_batch_tps=\\S+ sql_batch_ratio=\\S+");
        double tps = Double.parseDouble(line.replaceAll(".* tps=(\\S+) .*", "$1"));
        assertThat(tps).isPositive();
        double sqlTps = Double.parseDouble(line.replaceAll(".* sql_tps=(\\S+) .*", "$1"));
        assertThat(sqlTps).isPositive();
        // read from /proc around the round: the app and PostgreSQL did work for every pair
        double appCpu = Double.parseDouble(line.replaceAll(".* app_cpu_ms=(\\S+) .*", "$1"));
        assertThat(appCpu).isPositive();
        double dbCpu = Double.parseDouble(line.replaceAll(".* db_cpu_ms=(\\S+) .*", "$1"));
        assertThat(dbCpu).isPositive();
        // counted by callgrind: a pair's holds, ledger postings, invoice, payment, events and records are several
        // times the work of TPC-B's three updates, an insert and a select
        double pairInstructions = Double.parseDouble(line.replaceAll(".* db_minstr_pair=(\\S+) .*", "$1"));
        double tpcbInstructions = Double.parseDouble(line.replaceAll(".* db_minstr_tpcb=(\\S+) .*", "$1"));
        assertThat(tpcbInstructions).isPositive();
        assertThat(pairInstructions).isGreaterThan(2 * tpcbInstructions);
        // the group commit's SQL ran: two holds, then two captures, to a transaction
        double batched = Double.parseDouble(line.replaceAll(".* sql_batch_tps=(\\S+) .*", "$1"));
        assertThat(batched).isPositive();
    }

    private static boolean hasPgbench() {
        try {
            return ApiBenchmark.pgbench() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
