package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.provider.ProviderPayment;
import io.kopek.provider.ProviderRefund;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A provider that exists only in this test, written against the SPI alone: one bean, no change to Kopek's code,
 * and a rule naming it is all it takes to pay an invoice through it.
 */
@Import(ThrowawayProviderTest.Throwaway.class)
class ThrowawayProviderTest extends ApiTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Throwaway {
        @Bean
        PaymentProvider throwawayProvider() {
            return new InstantProvider();
        }
    }

    /** Charges at once, keeps its payments in memory, and accepts no callbacks. */
    static final class InstantProvider implements PaymentProvider {
        private final Map<String, ProviderPayment> payments = new ConcurrentHashMap<>();

        @Override
        public String id() {
            return "throwaway";
        }

        @Override
        public ProviderPayment create(CreatePayment request) {
            return payments.computeIfAbsent(
                    request.idempotencyKey(),
                    key -> new ProviderPayment(
                            id(),
                            "tw-" + key,
                            PaymentState.SUCCEEDED,
                            request.amount(),
                            request.amount(),
                            Money.zero(request.amount().currency()),
                            null,
                            null,
                            null,
                            null,
                            request.orderNumber()));
        }

        @Override
        public ProviderPayment capture(String providerPaymentId, Money amount, String idempotencyKey) {
            throw ProviderException.refused(id(), "one_stage_only", "this provider only charges at once");
        }

        @Override
        public ProviderPayment cancel(String providerPaymentId, String idempotencyKey) {
            throw ProviderException.refused(id(), "one_stage_only", "this provider only charges at once");
        }

        @Override
        public ProviderRefund refund(String providerPaymentId, Money amount, String idempotencyKey) {
            return ProviderRefund.succeeded(idempotencyKey, providerPaymentId, amount);
        }

        @Override
        public ProviderPayment status(String providerPaymentId) {
            return payments.values().stream()
                    .filter(p -> p.providerPaymentId().equals(providerPaymentId))
                    .findFirst()
                    .orElseThrow(() -> ProviderException.refused(id(), "not_found", providerPaymentId));
        }

        @Override
        public ProviderEvent verify(Callback callback) {
            throw new CallbackRejectedException(id(), "this provider sends no callbacks");
        }
    }

    @Test
    void anInvoiceIsPaidThroughAProviderAddedByTheSpiAlone() {
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                0,
                0,
                "standard",
                false,
                null,
                List.of("card"),
                List.of("throwaway"),
                0));
        long customer = customer(CustomerType.COMPANY);
        long invoice = order(accountant, customer, product(2_500_00), 2).id();

        var payment = as(ApiRole.CUSTOMER, customer).post("/api/v1/invoices/" + invoice + "/card-payments", "{}");

        assertThat(payment.status()).isEqualTo(201);
        assertThat(payment.body().path("provider").asString()).isEqualTo("throwaway");
        assertThat(payment.body().path("status").asString()).isEqualTo("succeeded");
        var paid = accountant.get("/api/v1/invoices/" + invoice).body();
        assertThat(paid.path("status").asString()).isEqualTo("paid");
        assertThat(paid.path("paid").path("amount").asLong()).isEqualTo(5_000_00);
        assertThat(accountant
                        .get("/api/v1/ledger/accounts/provider:throwaway:clearing:RUB")
                        .body()
                        .path("posted")
                        .path("amount")
                        .asLong())
                .isEqualTo(5_000_00);
    }
}
