/**
 * Paying invoices by card: {@link io.kopek.cardpayment.CardPayments} starts, captures, cancels and refunds card
 * payments through the {@link io.kopek.provider.PaymentProvider}s, {@link io.kopek.cardpayment.ProviderCallbacks}
 * takes the providers' callbacks, and both hand every provider answer to one place that mirrors it in billing.
 */
package io.kopek.cardpayment;
