package io.kopek.provider;

import io.kopek.money.Money;

/**
 * Totals of a registry. Declared ones (from a trailer) may leave out what the provider does not state: a null
 * {@code amount} or {@code commission} is not declared.
 *
 * @param lines the number of operation lines, rejected ones included
 * @param amount the sum of the amounts as written in the file (signed as written)
 * @param commission the sum of the commissions
 */
public record RegistryTotals(long lines, Money amount, Money commission) {}
