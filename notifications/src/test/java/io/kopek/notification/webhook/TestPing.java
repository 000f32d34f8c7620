package io.kopek.notification.webhook;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;

/** An event of the tests only: of no merchant, so only endpoints of the installation hear it. */
@EventType(name = "test_ping.sent", aggregate = "test_ping", aggregateId = "pingId")
public record TestPing(long pingId, String note) implements DomainEvent {}
