package io.kopek.scheduler;

import java.util.Locale;

/** What an entry of the audit log records. */
public enum AuditAction {
    SCHEDULE_CHANGED,
    SCHEDULE_PAUSED,
    SCHEDULE_RESUMED,
    SCHEDULE_TRIGGERED,
    JOB_TRIGGERED,
    JOB_STOPPED,
    JOB_RESTARTED,
    CHAIN_STARTED,
    CATCH_UP_STARTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuditAction of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
