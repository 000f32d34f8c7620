package io.kopek.pricing;

import java.time.LocalDate;
import java.util.List;

/**
 * How products of one category are billed to one type of customer ({@code *} matches any) from
 * {@code validFrom} to {@code validTo} inclusive (open-ended when null). Never edited once created.
 *
 * @param priceAdjustmentBp change to the list price in basis points (-1000 = 10 % discount)
 * @param commissionBp the provider commission we expect, in basis points of the payment
 * @param commissionFixed a fixed part of the expected commission, in minor units
 * @param vatCode a code of the VAT rate table: standard, reduced, zero, none, usn5, usn7
 * @param holdFirst balance and card payments go through a hold that is captured later
 * @param holdLifetimeSeconds how long such a hold lives before it expires (no longer than the provider's)
 * @param paymentMethods allowed methods: balance, bank_transfer, card
 * @param providers card providers in priority order
 * @param creditLimit how far below zero a customer's balance may go to pay these products
 */
public record BillingRule(
        long id,
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
        long creditLimit) {

    public boolean validOn(LocalDate date) {
        return !date.isBefore(validFrom) && (validTo == null || !date.isAfter(validTo));
    }

    public boolean allows(String method) {
        return paymentMethods.contains(method);
    }
}
