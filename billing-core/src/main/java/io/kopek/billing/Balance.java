package io.kopek.billing;

import io.kopek.money.Money;

/** A customer's prepaid balance in one currency: available = posted − held. */
public record Balance(long customerId, String account, Money posted, Money held, Money available) {}
