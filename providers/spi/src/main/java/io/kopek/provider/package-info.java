/**
 * The payment provider SPI: {@link io.kopek.provider.PaymentProvider} and the values it speaks in. Each provider
 * lives in its own Maven module under {@code providers/}, in a sub-package of this one, and is discovered as a
 * Spring bean.
 */
package io.kopek.provider;
