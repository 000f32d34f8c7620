package io.kopek.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.money.Money;
import org.junit.jupiter.api.Test;

/** What a provider says is kept and logged without a full card number, whichever provider said it. */
class ProviderTextsTest {

    @Test
    void aCardMaskOrFailureReasonWithAFullCardNumberIsMasked() {
        Money amount = new Money(100_00, Money.RUB);
        ProviderPayment payment = new ProviderPayment(
                "acme",
                "p-1",
                PaymentState.CANCELED,
                amount,
                new Money(0, Money.RUB),
                new Money(0, Money.RUB),
                null,
                null,
                "card 4276.3800.1234.5679 declined",
                "4276 3800 1234 5679",
                "INV-1-1");

        assertThat(payment.failureReason()).isEqualTo("card 427638******5679 declined");
        assertThat(payment.cardMask()).isEqualTo("427638******5679");
        assertThat(payment.toString()).doesNotContain("4276.3800.1234.5679");
    }

    @Test
    void aRefusalOrRejectedCallbackQuotingACardNumberIsMasked() {
        assertThat(ProviderException.refused("acme", "declined", "card4276380012345679RUB refused")
                        .getMessage())
                .isEqualTo("acme: card427638******5679RUB refused");
        assertThat(new CallbackRejectedException("acme", "unknown order for 3782 822463 10005").getMessage())
                .isEqualTo("acme callback rejected: unknown order for 378282*****0005");
    }
}
