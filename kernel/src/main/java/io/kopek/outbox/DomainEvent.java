package io.kopek.outbox;

/**
 * A domain event: a record, annotated with its {@link EventType}, whose components are its payload. Events are a
 * public contract (webhooks to merchants, the search index, {@code docs/events.md}): a change that could break a
 * receiver is a new version of the type, never an edit of the record in place.
 */
public interface DomainEvent {}
