package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys are honoured for {@code kopek.api.idempotency-retention} (24 h by default, as payment APIs
 * usually promise); older records are deleted by processes with the batch role.
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

    @Scheduled(fixedDelayString = "${kopek.api.idempotency-purge-interval:1h}", initialDelayString = "1m")
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
