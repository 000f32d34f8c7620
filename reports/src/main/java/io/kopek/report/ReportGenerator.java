package io.kopek.report;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.ledger.Ledger;
import io.kopek.report.format.ReportHeader;
import io.kopek.report.format.ReportWriter;
import io.kopek.report.format.ReportWriters;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Generates a run's file: in one read-only, repeatable-read transaction (every table of the report sees one snapshot),
 * reading the ledger up to the run's watermark, each table's rows streamed from a cursor through the format's writer
 * while they are counted and summed (the control totals), into a partial file that is hashed (SHA-256) as it is written
 * and moved into the store only when complete. A run that fails keeps nothing but its reason; generating it again (a
 * restart of its job run) starts over with the same watermark and file time, and so gives the same figures.
 */
@Service
public class ReportGenerator {

    private static final Logger log = LoggerFactory.getLogger(ReportGenerator.class);

    private final ReportRuns runs;
    private final ReportStore store;
    private final Ledger ledger;
    private final BusinessCalendar calendar;
    private final ReportsProperties properties;
    private final Map<ReportType, ReportDefinition> definitions = new EnumMap<>(ReportType.class);
    private final Map<ReportType, ExchangeFile> exchangeFiles = new EnumMap<>(ReportType.class);
    private final Map<ReportFormat, ReportWriters> writers = new EnumMap<>(ReportFormat.class);
    private final TransactionTemplate snapshot;

    ReportGenerator(
            ReportRuns runs,
            ReportStore store,
            Ledger ledger,
            BusinessCalendar calendar,
            ReportsProperties properties,
            List<ReportDefinition> definitions,
            List<ExchangeFile> exchangeFiles,
            List<ReportWriters> writers,
            PlatformTransactionManager transactions) {
        this.runs = runs;
        this.store = store;
        this.ledger = ledger;
        this.calendar = calendar;
        this.properties = properties;
        definitions.forEach(d -> this.definitions.put(d.type(), d));
        exchangeFiles.forEach(f -> this.exchangeFiles.put(f.type(), f));
        writers.forEach(w -> this.writers.put(w.format(), w));
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /**
     * Generates the run's file (or answers the run as it is if it already succeeded).
     *
     * @throws RuntimeException whatever stopped it, after the run was marked failed with the reason
     */
    public ReportRun generate(long runId) {
        ReportRun run = runs.get(runId);
        if (run.state() == ReportRunState.SUCCEEDED) {
            return run;
        }
        if (run.state() == ReportRunState.EXPIRED) {
            throw new IllegalStateException("report run " + runId + " expired");
        }
        run = runs.begin(runId, ledger.lastEntryId(), calendar.now().truncatedTo(ChronoUnit.SECONDS));
        Path partial = store.partial(runId);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            ReportSummary summary;
            try (OutputStream out =
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)), sha256)) {
                ReportRun generating = run;
                summary = snapshot.execute(tx -> write(generating, out));
            }
            long size = Files.size(partial);
            String key = store.keep(partial, runId, run.fileName(), calendar.today());
            ReportRun done = runs.succeeded(
                    runId,
                    summary,
                    HexFormat.of().formatHex(sha256.digest()),
                    size,
                    key,
                    calendar.now().plus(properties.retention()));
            log.info(
                    "report run {} ({} {}): {} rows, {} bytes",
                    runId,
                    run.report().code(),
                    run.fileName(),
                    summary.rows(),
                    size);
            return done;
        } catch (IOException e) {
            abandon(runId, partial, e);
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            abandon(runId, partial, e);
            throw new IllegalStateException(e);
        } catch (RuntimeException | Error e) {
            abandon(runId, partial, e);
            throw e;
        }
    }

    private void abandon(long runId, Path partial, Throwable cause) {
        ReportStore.discard(partial);
        runs.failed(runId, reason(cause));
    }

    private ReportSummary write(ReportRun run, OutputStream out) {
        LocalDateTime generatedAt = LocalDateTime.ofInstant(run.generatedAt(), calendar.zone());
        ReportQuery query = new ReportQuery(run.report(), run.filters(), run.watermark(), generatedAt);
        try {
            if (run.format() == ReportFormat.ONEC) {
                ExchangeFile file = exchangeFiles.get(run.report());
                if (file == null) {
                    throw new IllegalStateException(
                            "no exchange file is made for the " + run.report().code() + " report");
                }
                return file.write(query, out);
            }
            ReportDefinition definition = definitions.get(run.report());
            ReportWriters format = writers.get(run.format());
            if (definition == null || format == null) {
                throw new IllegalStateException("the " + run.report().code() + " report cannot be made as "
                        + ReportRuns.code(run.format()) + " here");
            }
            ReportHeader header = new ReportHeader(
                    run.id(),
                    run.report(),
                    FilterLines.of(run.filters()),
                    generatedAt,
                    run.watermark(),
                    run.csvProfile(),
                    run.csvCharset());
            List<ReportSummary.TableSummary> tables = new ArrayList<>();
            Progress progress = new Progress(run.id());
            try (ReportWriter writer = format.open(header, out)) {
                for (Table table : definition.tables(query)) {
                    if (run.format() == ReportFormat.CSV && table.kind() != Table.Kind.DETAIL) {
                        continue; // a CSV file carries the detail table alone
                    }
                    try (Stream<Object[]> rows = table.rows().get()) {
                        Tally tally = new Tally(table, progress);
                        writer.table(table, tally.wrap(rows.iterator()));
                        tables.add(tally.summary());
                    }
                }
                ReportSummary summary = new ReportSummary(tables);
                writer.finish(summary);
                return summary;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the run's progress every so many rows, in a transaction of its own so people see it while it runs. */
    private final class Progress implements Tally.Progress {
        private final long runId;
        private long rows;

        Progress(long runId) {
            this.runId = runId;
        }

        @Override
        public void row() {
            rows++;
            if (rows % properties.progressEvery() == 0) {
                runs.progress(runId, rows);
            }
        }
    }

    /** What people read in the run's failure: the refusal's own message, or what broke. */
    private static String reason(Throwable e) {
        if (e instanceof InvalidFilterException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
    }
}
