package io.kopek.billing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.billing.*}.
 *
 * @param holdExpiryWarning how long before an active hold expires it is announced as expiring
 *     ({@code hold.expiring}, once per hold); zero turns the warnings off
 */
@ConfigurationProperties("kopek.billing")
public record BillingProperties(@DefaultValue("24h") Duration holdExpiryWarning) {

    public BillingProperties {
        if (holdExpiryWarning == null || holdExpiryWarning.isNegative()) {
            throw new IllegalArgumentException(
                    "kopek.billing.hold-expiry-warning must be zero (off) or positive: " + holdExpiryWarning);
        }
    }
}
