package io.kopek.customer;

import java.time.Instant;

public record Customer(
        long id,
        CustomerType type,
        String name,
        String email,
        String phone,
        String inn,
        Language language,
        Instant createdAt) {}
