package io.kopek.catalog;

import io.kopek.money.Money;

/** Something a merchant sells, at a list price that includes VAT; its category selects the billing rule. */
public record Product(
        long id, long merchantId, String sku, String name, String category, Money unitPrice, String measure) {}
