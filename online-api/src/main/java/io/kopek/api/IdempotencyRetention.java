package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys are honoured for {@code kopek.api.idempotency-retention} (24 h by default, as payment APIs
 * usually promise); older records are deleted by processes with the batch role, on the schedule
 * {@code idempotencyRetention} (hourly).
 */
@Component
@ConditionalOnRole(Role.BATCH)
class IdempotencyRetention {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRetention.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;

    IdempotencyRetention(
            JdbcClient jdbc, Clock clock, @Value("${kopek.api.idempotency-retention:24h}") Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    /** Misfire RUN_ONCE_NOW: one pass deletes everything past retention, however many were missed. */
    @Bean
    ScheduledWork idempotencyRetentionSchedule() {
        return new ScheduledWork(
                "idempotencyRetention",
                "Deletes Idempotency-Key records past their retention (kopek.api.idempotency-retention)",
                "0 0 * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                this::purge);
    }

    int purge() {
        int deleted = jdbc.sql("delete from idempotency_record where created_at < ?")
                .param(Timestamp.from(clock.instant().minus(retention)))
                .update();
        if (deleted > 0) {
            log.info("deleted {} idempotency records older than {}", deleted, retention);
        }
        return deleted;
    }
}
