package io.kopek.report;

/** Where a report run is. */
public enum ReportRunState {
    /** Asked for; the batch role picks it up within seconds. */
    QUEUED,
    /** Being generated; {@code progress_rows} counts the rows written so far. */
    RUNNING,
    /** Its file is ready to download, until it expires. */
    SUCCEEDED,
    /** Nothing was kept; {@code failure} says why. A failed run's job run can be restarted. */
    FAILED,
    /** Its retention ended: the file is deleted, the record stays. */
    EXPIRED
}
