package io.kopek.billing;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The periodic housekeeping of billing, in the batch role (the scheduler fires it once per firing in the cluster). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class BillingSchedule {

    private static final Logger log = LoggerFactory.getLogger(BillingSchedule.class);

    /** Misfire RUN_ONCE_NOW: one pass releases every hold whose lifetime has passed. */
    @Bean
    ScheduledWork holdExpirySchedule(Holds holds) {
        return new ScheduledWork(
                "holdExpiry",
                "Releases holds whose lifetime has passed (their money returns to the balance)",
                "0/30 * * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                () -> {
                    int expired = holds.expireDue();
                    if (expired > 0) {
                        log.info("expired {} holds", expired);
                    }
                });
    }

    /**
     * Misfire RUN_ONCE_NOW: one pass announces every hold due a warning. Every minute, so a hold placed with less
     * lifetime than the lead is announced within a minute of its placing.
     */
    @Bean
    ScheduledWork holdExpiryWarningsSchedule(HoldExpiryWarnings warnings) {
        return new ScheduledWork(
                "holdExpiryWarnings",
                "Announces active holds that expire within kopek.billing.hold-expiry-warning (hold.expiring, once each)",
                "0 * * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                () -> {
                    int warned = warnings.warnDue();
                    if (warned > 0) {
                        log.info("announced {} holds as expiring", warned);
                    }
                });
    }

    /** Misfire RUN_ONCE_NOW: one pass marks every invoice past its due date. */
    @Bean
    ScheduledWork overdueInvoicesSchedule(Invoicing invoicing) {
        return new ScheduledWork(
                "overdueInvoices",
                "Marks issued invoices past their due date overdue",
                "0 0/10 * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                () -> {
                    int overdue = invoicing.markOverdue();
                    if (overdue > 0) {
                        log.info("marked {} invoices overdue", overdue);
                    }
                });
    }
}
