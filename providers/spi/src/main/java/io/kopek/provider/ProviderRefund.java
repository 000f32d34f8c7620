package io.kopek.provider;

import io.kopek.money.Money;

/** A refund as the provider reports it; {@code succeeded} false means still pending at the provider. */
public record ProviderRefund(String providerRefundId, String providerPaymentId, Money amount, boolean succeeded) {}
