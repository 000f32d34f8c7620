package io.kopek.pricing;

import java.time.LocalDate;
import java.util.List;

public record NewBillingRule(
        String category,
        String customerType,
        LocalDate validFrom,
        LocalDate validTo,
        int priceAdjustmentBp,
        int commissionBp,
        long commissionFixed,
        String vatCode,
        boolean holdFirst,
        Integer holdLifetimeSeconds,
        List<String> paymentMethods,
        List<String> providers,
        long creditLimit) {}
