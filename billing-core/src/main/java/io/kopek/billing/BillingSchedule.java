package io.kopek.billing;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The periodic housekeeping of billing, run by processes with the batch role. */
@Component
@ConditionalOnRole(Role.BATCH)
class BillingSchedule {

    private static final Logger log = LoggerFactory.getLogger(BillingSchedule.class);

    private final Holds holds;
    private final Invoicing invoicing;

    BillingSchedule(Holds holds, Invoicing invoicing) {
        this.holds = holds;
        this.invoicing = invoicing;
    }

    @Scheduled(fixedDelayString = "${kopek.billing.hold-expiry-interval:30s}", initialDelayString = "10s")
    void expireHolds() {
        int expired = holds.expireDue();
        if (expired > 0) {
            log.info("expired {} holds", expired);
        }
    }

    @Scheduled(fixedDelayString = "${kopek.billing.overdue-interval:10m}", initialDelayString = "20s")
    void markOverdue() {
        int overdue = invoicing.markOverdue();
        if (overdue > 0) {
            log.info("marked {} invoices overdue", overdue);
        }
    }
}
