package io.kopek.catalog;

/** A seller whose invoices Kopek issues; {@code code} prefixes its invoice numbers. */
public record Merchant(long id, String code, String name, String inn) {}
