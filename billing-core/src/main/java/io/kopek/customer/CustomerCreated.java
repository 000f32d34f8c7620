package io.kopek.customer;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;

/** A new customer, and of what type (which billing rules apply to it). */
@EventType(name = "customer.created", aggregate = "customer", aggregateId = "customerId")
public record CustomerCreated(long customerId, CustomerType type) implements DomainEvent {}
