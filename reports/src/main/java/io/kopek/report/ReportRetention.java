package io.kopek.report;

import io.kopek.calendar.BusinessCalendar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deletes the files of runs whose retention ({@code kopek.reports.retention}) has ended and marks the runs expired;
 * the records stay, with their parameters, figures and hashes.
 */
@Service
public class ReportRetention {

    private static final Logger log = LoggerFactory.getLogger(ReportRetention.class);
    private static final int BATCH = 500;

    private final ReportRuns runs;
    private final ReportStore store;
    private final BusinessCalendar calendar;

    ReportRetention(ReportRuns runs, ReportStore store, BusinessCalendar calendar) {
        this.runs = runs;
        this.store = store;
        this.calendar = calendar;
    }

    /** Expires what is due; answers how many runs expired. */
    public int sweep() {
        int expired = 0;
        while (true) {
            var due = runs.expiring(calendar.now(), BATCH);
            for (ReportRuns.Expiring run : due) {
                // the file first: a crash in between leaves a succeeded run without a file, which answers 503 and
                // is swept again, never an expired run whose file lingers
                if (run.storedAs() != null) {
                    store.delete(run.storedAs());
                }
                runs.expired(run.runId());
                expired++;
            }
            if (due.size() < BATCH) {
                if (expired > 0) {
                    log.info("{} report runs expired", expired);
                }
                return expired;
            }
        }
    }
}
