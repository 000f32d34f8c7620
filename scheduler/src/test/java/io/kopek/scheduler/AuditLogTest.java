package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.SchedulerTestApplication;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import io.kopek.errors.KopekException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(classes = SchedulerTestApplication.class)
class AuditLogTest {

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    private final ApiPrincipal operator = new ApiPrincipal(7, ApiRole.OPERATOR, null, "night shift");

    @Test
    void anEntryKeepsWhoWhatAndWhyAndIsListedNewestFirst() {
        AuditEntry first =
                audit.record(operator, AuditAction.SCHEDULE_PAUSED, "holdExpiry", Map.of(), "  provider outage  ");
        AuditEntry second = audit.record(
                operator,
                AuditAction.JOB_TRIGGERED,
                "reconciliation",
                Map.of("provider", "sber", "businessDate", "2026-12-03"),
                "re-run after the corrected registry");

        assertThat(first.actor()).isEqualTo("key:night shift");
        assertThat(first.role()).isEqualTo("operator");
        assertThat(first.reason()).isEqualTo("provider outage");
        assertThat(audit.list(0, 10, null, null, null))
                .extracting(AuditEntry::id)
                .containsSubsequence(second.id(), first.id());
        assertThat(audit.list(0, 10, AuditAction.JOB_TRIGGERED, null, null))
                .filteredOn(e -> e.id() == second.id())
                .singleElement()
                .satisfies(e -> assertThat(e.details())
                        .containsEntry("provider", "sber")
                        .containsEntry("businessDate", "2026-12-03"));
    }

    @Test
    void theLogIsAppendOnly() {
        AuditEntry entry = audit.record(operator, AuditAction.SCHEDULE_RESUMED, "holdExpiry", Map.of(), null);

        assertThatThrownBy(() -> jdbc.sql("update scheduler_audit set actor = 'someone else' where id = ?")
                        .param(entry.id())
                        .update())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from scheduler_audit where id = ?")
                        .param(entry.id())
                        .update())
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void aReasonBeyondItsLimitIsRefusedNotCut() {
        assertThatThrownBy(() -> audit.record(
                        operator, AuditAction.JOB_STOPPED, "fiscalPush", Map.of(), "x".repeat(AuditLog.MAX_REASON + 1)))
                .isInstanceOf(KopekException.class);
    }
}
