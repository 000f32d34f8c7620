package io.kopek.cardpayment;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The batch role asks the providers about card payments whose outcome or state is still open. */
@Component
@ConditionalOnRole(Role.BATCH)
class CardPaymentCheck {

    private static final Logger log = LoggerFactory.getLogger(CardPaymentCheck.class);

    private final CardPayments payments;

    CardPaymentCheck(CardPayments payments) {
        this.payments = payments;
    }

    @Scheduled(fixedDelayString = "${kopek.card-payments.check-every:15s}", initialDelayString = "5s")
    void run() {
        int checked = payments.checkDue();
        if (checked > 0) {
            log.info("checked {} card payments with their providers", checked);
        }
    }
}
