package io.kopek.billing;

import io.kopek.pricing.NewBillingRule;
import java.time.LocalDate;
import java.util.List;

/**
 * The billing rule the billing tests give their category: every customer type, from 2025 on, no price adjustment,
 * no commission, standard VAT, no hold first and no credit. What differs from test to test is how an invoice may be
 * paid: the methods, the providers and how long a hold may live (null: the default).
 */
final class StandardRule {

    private StandardRule() {}

    static NewBillingRule paidBy(
            String category, Integer holdLifetimeSeconds, List<String> methods, List<String> providers) {
        return new NewBillingRule(
                category,
                "*",
                LocalDate.of(2025, 1, 1),
                null,
                0,
                0,
                0,
                "standard",
                false,
                holdLifetimeSeconds,
                methods,
                providers,
                0);
    }
}
