package io.kopek.catalog;

import io.kopek.money.Money;

public record NewProduct(long merchantId, String sku, String name, String category, Money unitPrice, String measure) {}
