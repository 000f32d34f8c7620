package io.kopek.cardpayment;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The batch role asks the providers about card payments whose outcome or state is still open. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class CardPaymentCheck {

    private static final Logger log = LoggerFactory.getLogger(CardPaymentCheck.class);

    /** Misfire RUN_ONCE_NOW: one pass checks every card payment that is due, however many passes were missed. */
    @Bean
    ScheduledWork cardPaymentCheckSchedule(CardPayments payments) {
        return new ScheduledWork(
                "cardPaymentCheck",
                "Asks the providers about card payments whose outcome or state is still open",
                "0/15 * * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                () -> {
                    int checked = payments.checkDue();
                    if (checked > 0) {
                        log.info("checked {} card payments with their providers", checked);
                    }
                });
    }
}
