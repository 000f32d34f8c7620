package io.kopek.provider;

import io.kopek.money.Money;
import java.time.Instant;

/**
 * A payment as the provider reports it. {@code captured} and {@code refunded} are what the provider says was
 * taken and given back; {@code expiresAt} is when an authorisation lapses (the provider cancels it then);
 * {@code cardMask} is at most the masked number ({@code 220220******1234}), never a full one.
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
        String cardMask) {}
