package io.kopek.ingest;

import io.kopek.errors.KopekException;
import io.kopek.outbox.Outbox;
import io.kopek.pan.Pans;
import io.kopek.provider.RegistryLimits;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.RegistryRejectedException;
import io.kopek.provider.RegistrySink;
import io.kopek.provider.RegistrySummary;
import io.kopek.provider.RejectedLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a provider's registry file into staging: parsed by the provider's {@link RegistryParser} as a stream and
 * written with PostgreSQL {@code COPY} in the same pass, in one transaction with the file's row. A file is known by
 * provider + name + SHA-256: delivered again, it is recognised and not imported twice. A file that cannot be read
 * as a whole is quarantined with a readable reason and nothing of it is kept; lines that are bad on their own are
 * listed with their line numbers while the rest imports, unless the provider's policy is all-or-nothing.
 *
 * <p>The lines go into their business day's partition of {@code registry_line}, made first in a short transaction of
 * its own ({@link RegistryLinePartitions}): the day is the one the file's name gives, known before the file is read.
 */
@Service
public class RegistryImport {

    private static final Logger log = LoggerFactory.getLogger(RegistryImport.class);

    /** More rejected lines than this and the file is not a registry with a few bad lines: it is quarantined. */
    static final int MAX_REJECTED = 100_000;

    private static final String COPY = "copy registry_line (file_id, line_no, provider_payment_id, order_number,"
            + " operation, amount, commission, settled_amount, currency, operated_at, card_mask, pan_masked,"
            + " business_date) from stdin with (format binary)";

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final Map<String, RegistryParser> parsers;
    private final RegistryLimits limits;
    private final RegistryLinePartitions days;

    RegistryImport(
            JdbcClient jdbc,
            DataSource dataSource,
            TransactionTemplate transactions,
            Outbox outbox,
            List<RegistryParser> parsers,
            IngestProperties properties,
            RegistryLinePartitions days) {
        this.jdbc = jdbc;
        this.days = days;
        this.limits = properties.limits().registryLimits();
        this.dataSource = dataSource;
        // Its own transactions, whatever the caller's (a job step's): a quarantine must commit while the
        // failed import rolls back.
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.outbox = outbox;
        this.parsers = parsers.stream().collect(Collectors.toUnmodifiableMap(RegistryParser::provider, p -> p));
    }

    /** Whether a provider has a registry parser, and whether a file of this name is one of its registries. */
    public boolean accepts(String provider, String fileName) {
        RegistryParser parser = parsers.get(provider);
        return parser != null && parser.accepts(fileName);
    }

    /** Imports the file (its name is the file's name); a file imported or quarantined before is returned as it was. */
    public RegistryFile importFile(String provider, Path file) {
        byte[] sha256 = sha256(file);
        String name = file.getFileName().toString();
        Optional<RegistryFile> earlier = find(provider, name, sha256);
        if (earlier.isPresent() && !earlier.get().status().equals("received")) {
            log.info(
                    "{} registry {} was {} before: not imported again",
                    provider,
                    name,
                    earlier.get().status());
            return withRedelivered(earlier.get());
        }
        long id = earlier.map(RegistryFile::id)
                .orElseGet(() -> transactions.execute(tx -> receive(provider, name, sha256)));
        RegistryParser parser = parsers.get(provider);
        if (parser == null) {
            return quarantine(id, "Kopek has no registry parser for provider " + provider);
        }
        long size = size(file);
        if (size > limits.maxFileBytes()) {
            return quarantine(id, "too large: " + size + " bytes, over the limit of " + limits.maxFileBytes());
        }
        try {
            LocalDate day = businessDate(parser, name, file);
            // Its partition before the lines' transaction, in a short one of its own: the lines go straight in.
            days.ensure(day);
            RegistryFile loaded = transactions.execute(tx -> load(id, provider, name, day, file, parser));
            if (loaded.imported()) {
                transactions.executeWithoutResult(tx -> days.analyze(day));
            }
            return loaded;
        } catch (RegistryRejectedException e) {
            return quarantine(id, e.reason());
        } catch (TooManyRejected e) {
            return quarantine(id, e.getMessage());
        }
    }

    private long receive(String provider, String name, byte[] sha256) {
        // A concurrent import of the same file waits here and then finds it.
        return jdbc.sql("insert into registry_file (provider, name, sha256, status) values (?, ?, ?, 'received')"
                        + " on conflict (provider, name, sha256) do update set status = registry_file.status"
                        + " returning id")
                .params(provider, name, sha256)
                .query(Long.class)
                .single();
    }

    /**
     * The day the file's lines belong to: from its name, or, for a parser that learns it only by reading, from a first
     * reading of the whole file (a file it rejects is quarantined as by the import).
     */
    private LocalDate businessDate(RegistryParser parser, String name, Path file) {
        Optional<LocalDate> named = parser.businessDate(name);
        if (named.isPresent()) {
            return named.get();
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return parser.parse(
                            in,
                            name,
                            new RegistrySink() {
                                @Override
                                public void line(RegistryLine line) {}

                                @Override
                                public void rejected(RejectedLine line) {}
                            },
                            limits)
                    .businessDate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private RegistryFile load(long id, String provider, String name, LocalDate day, Path file, RegistryParser parser) {
        // Under the file's row lock: two imports of one file take turns, and the second finds it done.
        String status = jdbc.sql("select status from registry_file where id = ? for update")
                .param(id)
                .query(String.class)
                .single();
        if (!status.equals("received")) {
            return get(id);
        }
        // the day's partition only: the file's lines can be nowhere else
        jdbc.sql("delete from registry_line where business_date = ? and file_id = ?")
                .params(day, id)
                .update();
        jdbc.sql("delete from registry_file_total where file_id = ?").param(id).update();
        jdbc.sql("delete from registry_repeated_payment_id where file_id = ?")
                .param(id)
                .update();
        List<RejectedLine> rejected = new ArrayList<>();
        RegistrySummary summary;
        Map<String, long[]> totals;
        Set<String> repeated;
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                OutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class), COPY, 1 << 16)) {
            CopySink sink = new CopySink(id, day, copy, rejected);
            summary = parser.parse(in, name, sink, limits);
            sink.end();
            totals = sink.totals;
            repeated = sink.repeats.repeated();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY of " + name + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        if (!day.equals(summary.businessDate())) {
            // the parser contradicts itself: its lines went into the wrong day's partition (rolled back)
            throw new IllegalStateException(provider + "'s parser gave " + name + " the business date " + day
                    + " by its name and " + summary.businessDate() + " once read");
        }
        if (!summary.importable()) {
            throw new RegistryRejectedException(
                    provider,
                    name,
                    rejected.size() + " lines could not be read and " + provider
                            + "'s registries are all-or-nothing; first: line "
                            + rejected.getFirst().lineNumber()
                            + ": " + rejected.getFirst().reason(),
                    null);
        }
        if (!rejected.isEmpty()) {
            jdbc.sql("insert into registry_line_rejected (file_id, line_no, reason, pan_masked)"
                            + " select ?, * from unnest(?::int[], ?::text[], ?::boolean[])")
                    .params(
                            id,
                            rejected.stream().map(r -> (int) r.lineNumber()).toArray(Integer[]::new),
                            rejected.stream().map(RejectedLine::reason).toArray(String[]::new),
                            rejected.stream().map(RejectedLine::panMasked).toArray(Boolean[]::new))
                    .update();
        }
        totals.forEach(
                (currency, t) -> jdbc.sql("insert into registry_file_total (file_id, currency, lines, commission,"
                                + " settled_amount) values (?, ?, ?, ?, ?)")
                        .params(id, currency, Math.toIntExact(t[0]), t[1], t[2])
                        .update());
        // the reconciliation looks for copies among the lines of these payment ids only (ingest/V10.8)
        jdbc.sql("insert into registry_repeated_payment_id (file_id, provider_payment_id)"
                        + " select ?, unnest(?::text[])")
                .params(id, repeated.toArray(String[]::new))
                .update();
        jdbc.sql("update registry_file set status = 'imported', business_date = ?, line_count = ?,"
                        + " rejected_count = ?, repeats_listed = true, imported_at = clock_timestamp() where id = ?")
                .params(day, summary.accepted(), summary.rejected(), id)
                .update();
        outbox.publish(
                new RegistryEvents.RegistryImported(id, provider, name, day, summary.accepted(), summary.rejected()));
        log.info(
                "{} registry {} for {} imported: {} lines, {} rejected",
                provider,
                name,
                day,
                summary.accepted(),
                summary.rejected());
        return get(id);
    }

    private RegistryFile quarantine(long id, String why) {
        String reason = Pans.mask(why); // it may quote the file
        return transactions.execute(tx -> {
            RegistryFile file = get(id);
            jdbc.sql("update registry_file set status = 'quarantined', reason = ? where id = ?")
                    .params(reason, id)
                    .update();
            outbox.publish(new RegistryEvents.RegistryQuarantined(id, file.provider(), file.name(), reason));
            log.warn("{} registry {} quarantined: {}", file.provider(), file.name(), reason);
            return get(id);
        });
    }

    /**
     * Writes each line as a row of a binary COPY (PostgreSQL's documented format: no text for the server to parse);
     * bad lines are kept aside (they are few, or the file is not).
     */
    private static final class CopySink implements RegistrySink {
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
        private static final short COLUMNS = 13;
        /** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC, its dates days from 2000-01-01. */
        private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;

        private static final long POSTGRES_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();

        private static final byte[][] OPERATIONS = Arrays.stream(RegistryOperation.values())
                .map(o -> o.name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);

        private final long fileId;
        /** The registry's business date, as PostgreSQL's binary date: every line's. */
        private final int day;

        private final OutputStream copy;
        private final List<RejectedLine> rejected;
        /** The row being written, grown for long texts. */
        private ByteBuffer row = ByteBuffer.allocate(1024);
        /** Per currency: lines, commission, settlement (registry_file_total), summed as the lines pass. */
        final Map<String, long[]> totals = new TreeMap<>();
        /** The payment ids of more than one line (registry_repeated_payment_id), noted as the lines pass. */
        final RepeatedPaymentIds repeats = new RepeatedPaymentIds();

        CopySink(long fileId, LocalDate day, OutputStream copy, List<RejectedLine> rejected) {
            this.fileId = fileId;
            this.day = Math.toIntExact(day.toEpochDay() - POSTGRES_EPOCH_DAY);
            this.copy = copy;
            this.rejected = rejected;
            row.put(SIGNATURE).putInt(0).putInt(0); // no flags, no header extension
            flush();
        }

        @Override
        public void line(RegistryLine line) {
            // Masked here too, whatever the parser did: the table's check refuses a card number, and a line refused
            // there would fail the whole file; masked, it is kept (a parser that masks already costs one scan).
            String paymentId = Pans.mask(line.providerPaymentId());
            String orderNumber = Pans.mask(line.orderNumber());
            String cardMask = Pans.mask(line.cardMask());
            boolean panMasked = line.panMasked()
                    || !Objects.equals(paymentId, line.providerPaymentId())
                    || !Objects.equals(orderNumber, line.orderNumber())
                    || !Objects.equals(cardMask, line.cardMask());
            repeats.add(paymentId);
            row.putShort(COLUMNS);
            bigint(fileId);
            row.putInt(4).putInt(Math.toIntExact(line.lineNumber()));
            text(paymentId);
            text(orderNumber);
            bytes(OPERATIONS[line.operation().ordinal()]);
            bigint(line.amount().minor());
            bigint(line.commission().minor());
            bigint(line.settlement().minor());
            text(line.amount().currency().getCurrencyCode());
            Instant time = line.operationTime();
            bigint((time.getEpochSecond() - POSTGRES_EPOCH_SECOND) * 1_000_000 + time.getNano() / 1_000);
            text(cardMask);
            row.putInt(1).put((byte) (panMasked ? 1 : 0));
            row.putInt(4).putInt(day);
            flush();
            long[] total = totals.computeIfAbsent(line.amount().currency().getCurrencyCode(), c -> new long[3]);
            total[0]++;
            total[1] = Math.addExact(total[1], line.commission().minor());
            total[2] = Math.addExact(total[2], line.settlement().minor());
        }

        /** The end of the data. */
        void end() {
            row.putShort((short) -1);
            flush();
        }

        private void flush() {
            try {
                copy.write(row.array(), 0, row.position());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            row.clear();
        }

        private void bigint(long value) {
            row.putInt(8).putLong(value);
        }

        private void text(String value) {
            if (value == null) {
                row.putInt(-1);
            } else {
                bytes(value.getBytes(StandardCharsets.UTF_8));
            }
        }

        private void bytes(byte[] value) {
            if (row.remaining() < value.length + 256) {
                row = ByteBuffer.allocate(row.capacity() + value.length + 1024).put(row.flip());
            }
            row.putInt(value.length).put(value);
        }

        @Override
        public void rejected(RejectedLine line) {
            if (rejected.size() >= MAX_REJECTED) {
                throw new TooManyRejected("more than " + MAX_REJECTED + " lines could not be read; the first at line "
                        + rejected.getFirst().lineNumber() + ": "
                        + rejected.getFirst().reason());
            }
            String reason = Pans.mask(line.reason());
            rejected.add(reason.equals(line.reason()) ? line : new RejectedLine(line.lineNumber(), reason, true));
        }
    }

    private static final class TooManyRejected extends RuntimeException {
        TooManyRejected(String message) {
            super(message);
        }
    }

    // --- reading ----------------------------------------------------------------------------------------------

    private static final String COLUMNS = "id, provider, name, business_date, status, reason, line_count,"
            + " rejected_count, received_at, imported_at";

    public RegistryFile get(long id) {
        return jdbc.sql("select " + COLUMNS + " from registry_file where id = ?")
                .param(id)
                .query(RegistryImport::file)
                .optional()
                .orElseThrow(() -> KopekException.notFound("registry file", id));
    }

    private Optional<RegistryFile> find(String provider, String name, byte[] sha256) {
        return jdbc.sql("select " + COLUMNS + " from registry_file where provider = ? and name = ? and sha256 = ?")
                .params(provider, name, sha256)
                .query(RegistryImport::file)
                .optional();
    }

    /** Registry files of a provider (all when null), newest first. */
    public List<RegistryFile> files(String provider, long beforeId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from registry_file where (?::text is null or provider = ?)"
                        + " and id < ? order by id desc limit ?")
                .params(provider, provider, beforeId, limit)
                .query(RegistryImport::file)
                .list();
    }

    /** A provider's registry files of a business day (imported or quarantined after their day was read), oldest first. */
    public List<RegistryFile> filesOfDay(String provider, LocalDate businessDate) {
        return jdbc.sql("select " + COLUMNS
                        + " from registry_file where provider = ? and business_date = ? order by id")
                .params(provider, businessDate)
                .query(RegistryImport::file)
                .list();
    }

    /** The rejected lines of a file, with why. */
    public List<Map<String, Object>> rejectedLines(long fileId) {
        return jdbc.sql("select line_no, reason, pan_masked from registry_line_rejected where file_id = ?"
                        + " order by line_no")
                .param(fileId)
                .query()
                .listOfRows();
    }

    private static RegistryFile withRedelivered(RegistryFile file) {
        return new RegistryFile(
                file.id(),
                file.provider(),
                file.name(),
                file.businessDate(),
                file.status(),
                file.reason(),
                file.lines(),
                file.rejected(),
                true,
                file.receivedAt(),
                file.importedAt());
    }

    private static RegistryFile file(ResultSet rs, int n) throws SQLException {
        Timestamp imported = rs.getTimestamp("imported_at");
        return new RegistryFile(
                rs.getLong("id"),
                rs.getString("provider"),
                rs.getString("name"),
                rs.getObject("business_date", LocalDate.class),
                rs.getString("status"),
                rs.getString("reason"),
                rs.getInt("line_count"),
                rs.getInt("rejected_count"),
                false,
                rs.getTimestamp("received_at").toInstant(),
                imported == null ? null : imported.toInstant());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static byte[] sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return ((DigestInputStream) in).getMessageDigest().digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
