package io.kopek.catalog;

/**
 * A seller whose invoices Kopek issues; {@code code} prefixes its invoice numbers.
 *
 * @param inn its ИНН: 10 digits for a company, 12 for a sole proprietor
 * @param bankDetails what its payment orders name it by; {@code null} for a merchant without them (those made
 *     before merchants had them)
 */
public record Merchant(long id, String code, String name, String inn, BankDetails bankDetails) {}
