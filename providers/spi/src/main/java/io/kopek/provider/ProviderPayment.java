package io.kopek.provider;

import io.kopek.money.Money;
import io.kopek.pan.Pans;
import java.time.Instant;

/**
 * A payment as the provider reports it. {@code captured} and {@code refunded} are what the provider says was
 * taken and given back; {@code expiresAt} is when an authorisation lapses (the provider cancels it then);
 * {@code cardMask} is at most the masked number ({@code 220220******1234}), never a full one; {@code orderNumber}
 * is the order number Kopek gave at create, as the provider echoes it (null if it does not), so a callback that
 * overtakes the create answer still finds its payment.
 *
 * <p>The provider's texts are masked here ({@link Pans#mask}): a card mask or a failure reason that carries a full card
 * number is kept, stored and logged masked, whichever provider built the record.
 */
public record ProviderPayment(
        String provider,
        String providerPaymentId,
        PaymentState state,
        Money amount,
        Money captured,
        Money refunded,
        String confirmationUrl,
        Instant expiresAt,
        String failureReason,
        String cardMask,
        String orderNumber) {

    public ProviderPayment {
        failureReason = Pans.mask(failureReason);
        cardMask = Pans.mask(cardMask);
    }
}
