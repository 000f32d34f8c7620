package io.kopek.customer;

public record NewCustomer(CustomerType type, String name, String email, String phone, String inn) {}
