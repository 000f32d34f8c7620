package io.kopek.cardpayment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.card-payments.*}.
 *
 * @param firstCheck how long after a provider left an outcome unknown, or a payer has yet to confirm, the
 *     provider is asked again; each later check waits twice as long, up to {@code maxCheckInterval}
 * @param maxCheckInterval the longest wait between two checks of one payment
 * @param checkEvery how often the batch role looks for payments to check
 * @param unknownRefundGrace how long a refund the provider never confirmed stays unknown before it is failed
 * @param breaker when a provider counts as down, so that new payments go to the next one
 */
@ConfigurationProperties("kopek.card-payments")
public record CardPaymentProperties(
        @DefaultValue("30s") Duration firstCheck,
        @DefaultValue("1h") Duration maxCheckInterval,
        @DefaultValue("15s") Duration checkEvery,
        @DefaultValue("1h") Duration unknownRefundGrace,
        @DefaultValue Breaker breaker) {

    /**
     * @param failureRateThreshold percentage of unknown outcomes in the window that opens the breaker
     * @param window how many recent calls the rate is computed over
     * @param minimumCalls how many calls before the rate counts
     * @param waitInOpen how long an open breaker stays open before letting a few trial calls through
     */
    public record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int window,
            @DefaultValue("5") int minimumCalls,
            @DefaultValue("30s") Duration waitInOpen) {}
}
