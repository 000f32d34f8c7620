package io.kopek.catalog;

/**
 * A merchant to create; {@code inn} and {@code bankDetails} may be {@code null}, and are checked when given
 * ({@link Requisites#check}).
 */
public record NewMerchant(String code, String name, String inn, BankDetails bankDetails) {}
