package io.kopek.ingest;

import io.kopek.partition.DayPartitions;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The registry lines' days: {@code registry_line} is partitioned by its registry's business date, a partition per day
 * ({@code ingest/V10.6}). The import makes its day's partition before it copies the lines in; retention drops a day's
 * lines whole. The files of a dropped day stay, with their totals ({@code registry_file_total}, and so
 * {@code registry_imported_day}) and their rejected lines; {@code registry_imported_line} has no lines for that day.
 */
@Service
public class RegistryLinePartitions {

    private static final String TABLE = "registry_line";

    private final DayPartitions partitions;
    private final JdbcClient jdbc;

    RegistryLinePartitions(DayPartitions partitions, JdbcClient jdbc) {
        this.partitions = partitions;
        this.jdbc = jdbc;
    }

    /** The day's partition, made unless it is there (a transaction of its own, once however many imports ask). */
    void ensure(LocalDate day) {
        partitions.ensure(TABLE, day);
    }

    /**
     * Fresh statistics of the day's lines, in the caller's transaction, once a file's lines are in: a day's partition
     * is filled at once by {@code COPY}, and the reconciliation that reads it next would be planned on guesses before
     * autovacuum looked at it (a file taken for a handful of lines: a statement that hashes the day in 0.2 s ran for
     * minutes, looking the day up again for each of its few thousand lines). A small sample is enough for that
     * (statistics target 10: 3,000 lines, ~40 ms for a million, against ~0.25 s at the default); lines are not changed
     * after.
     */
    void analyze(LocalDate day) {
        jdbc.sql("set local default_statistics_target = 10").update();
        jdbc.sql("analyze " + DayPartitions.partition(TABLE, day)).update();
    }

    /** The days before {@code day} whose lines are kept, oldest first. */
    public List<LocalDate> daysBefore(LocalDate day) {
        return partitions.olderThan(TABLE, day);
    }

    /** Every line of the day, gone in one drop of its partition; empty when the day had none. */
    public Optional<DayPartitions.Dropped> drop(LocalDate day) {
        return partitions.drop(TABLE, day);
    }
}
