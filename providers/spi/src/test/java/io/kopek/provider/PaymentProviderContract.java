package io.kopek.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kopek.money.Money;
import io.kopek.sandbox.Script;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every payment provider owes Kopek, run against the provider's simulator: a new provider module's test
 * extends this and says how to reach its simulator, then adds what is particular to its protocol (how callbacks
 * are authenticated, how credentials fail).
 */
public abstract class PaymentProviderContract {

    /** The provider, talking to a running simulator. */
    protected abstract PaymentProvider provider();

    /** The same provider, giving up on an answer after {@code timeout}. */
    protected abstract PaymentProvider providerWithRequestTimeout(Duration timeout);

    /** The simulator's script. */
    protected abstract Script script();

    /** How many payments the simulator has created: a double charge shows here. */
    protected abstract int paymentsCreated();

    protected CreatePayment payment(long kopecks, boolean hold) {
        return new CreatePayment(
                UUID.randomUUID().toString(),
                "INV-" + UUID.randomUUID().toString().substring(0, 8),
                Money.rub(kopecks),
                hold,
                "Invoice",
                "https://shop.example/back",
                Map.of("invoice_id", "42"));
    }

    protected ProviderPayment awaitState(String providerPaymentId, PaymentState state) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> provider().status(providerPaymentId).state() == state);
        return provider().status(providerPaymentId);
    }

    @Test
    void aOneStagePaymentWaitsForThePayerThenSucceeds() {
        CreatePayment request = payment(1_500_00, false);
        ProviderPayment created = provider().create(request);

        assertThat(created.state()).isEqualTo(PaymentState.PENDING);
        assertThat(created.confirmationUrl()).isNotBlank();
        assertThat(created.amount()).isEqualTo(Money.rub(1_500_00));
        assertThat(provider().status(created.providerPaymentId()).orderNumber())
                .as("the provider echoes our order number, so an early callback finds its payment")
                .isEqualTo(request.orderNumber());
        assertThat(awaitState(created.providerPaymentId(), PaymentState.SUCCEEDED)
                        .captured())
                .isEqualTo(Money.rub(1_500_00));
    }

    @Test
    void aHoldIsCapturedInPart() {
        String id = provider().create(payment(500_00, true)).providerPaymentId();
        assertThat(awaitState(id, PaymentState.AUTHORIZED).captured()).isEqualTo(Money.rub(0));

        ProviderPayment captured =
                provider().capture(id, Money.rub(300_00), UUID.randomUUID().toString());

        assertThat(captured.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(captured.captured()).isEqualTo(Money.rub(300_00));
    }

    @Test
    void aHoldIsVoided() {
        String id = provider().create(payment(500_00, true)).providerPaymentId();
        awaitState(id, PaymentState.AUTHORIZED);

        assertThat(provider().cancel(id, UUID.randomUUID().toString()).state()).isEqualTo(PaymentState.CANCELED);
        assertThat(provider().status(id).state()).isEqualTo(PaymentState.CANCELED);
    }

    @Test
    void refundsArePartialThenWhole() {
        String id = provider().create(payment(100_00, false)).providerPaymentId();
        awaitState(id, PaymentState.SUCCEEDED);

        ProviderRefund part =
                provider().refund(id, Money.rub(40_00), UUID.randomUUID().toString());
        ProviderPayment afterPart = provider().status(id);
        provider().refund(id, Money.rub(60_00), UUID.randomUUID().toString());

        assertThat(part.amount()).isEqualTo(Money.rub(40_00));
        assertThat(afterPart.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(afterPart.refunded()).isEqualTo(Money.rub(40_00));
        assertThat(provider().status(id).state()).isEqualTo(PaymentState.REFUNDED);
        assertThatThrownBy(() ->
                        provider().refund(id, Money.rub(1_00), UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED));
    }

    @Test
    void aTimedOutCreateRepeatedAsItWasChargesOnce() {
        PaymentProvider impatient = providerWithRequestTimeout(Duration.ofMillis(500));
        script().actThenHangNext(1, Duration.ofSeconds(2));
        CreatePayment request = payment(700_00, false);

        assertThatThrownBy(() -> impatient.create(request))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.UNKNOWN));
        ProviderPayment repeated = impatient.create(request);

        assertThat(paymentsCreated()).isEqualTo(1);
        assertThat(repeated.amount()).isEqualTo(Money.rub(700_00));
    }

    @Test
    void anOutageLeavesTheOutcomeUnknownAndCreatesNothing() {
        script().failNext(1);

        assertThatThrownBy(() -> provider().create(payment(100_00, false)))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.UNKNOWN));
        assertThat(paymentsCreated()).isZero();
    }

    @Test
    void aDeclinedPaymentEndsCancelledWithTheReason() {
        script().declineNext(1, "insufficient_funds");

        String id = provider().create(payment(100_00, false)).providerPaymentId();

        assertThat(awaitState(id, PaymentState.CANCELED).failureReason()).isEqualTo("insufficient_funds");
    }
}
