package io.kopek.reconciliation;

import io.kopek.partition.DayPartitions;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The results' days: {@code reconciliation_result} is partitioned by the business date of its run, a partition per
 * day ({@code reconciliation/V12.5}). A run makes its day's partition before it writes; retention drops a day's
 * results whole. The runs of a dropped day stay, with their summaries (counts and amounts per result, the
 * settlement), and so do the day's discrepancies with their comments.
 */
@Service
public class ResultPartitions {

    private static final String TABLE = "reconciliation_result";

    private final DayPartitions partitions;
    private final JdbcClient jdbc;

    ResultPartitions(DayPartitions partitions, JdbcClient jdbc) {
        this.partitions = partitions;
        this.jdbc = jdbc;
    }

    /** The day's partition, made unless it is there (a transaction of its own, once however many runs ask). */
    void ensure(LocalDate day) {
        partitions.ensure(TABLE, day);
    }

    /**
     * Fresh statistics of the day's results, in the caller's transaction: of its partition only (an ANALYZE of the
     * parent samples, and analyzes again, every day kept).
     */
    void analyze(LocalDate day) {
        jdbc.sql("analyze " + DayPartitions.partition(TABLE, day)).update();
    }

    /** The days before {@code day} whose results are kept, oldest first. */
    public List<LocalDate> daysBefore(LocalDate day) {
        return partitions.olderThan(TABLE, day);
    }

    /** Every result of the day's runs, gone in one drop of its partition; empty when the day had none. */
    public Optional<DayPartitions.Dropped> drop(LocalDate day) {
        return partitions.drop(TABLE, day);
    }
}
