package io.kopek.ingest;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.LocalDate;

/** What the registries' intake announces; listed in {@code docs/events.md}. */
public final class RegistryEvents {

    private RegistryEvents() {}

    /** A provider's registry is in, its good lines imported (bad ones listed apart unless all-or-nothing). */
    @EventType(name = "registry.imported", aggregate = "registry_file", aggregateId = "fileId")
    public record RegistryImported(
            long fileId, String provider, String name, LocalDate businessDate, long lines, long rejectedLines)
            implements DomainEvent {}

    /** A registry kept aside whole, with the reason people read; nothing of it was imported. */
    @EventType(name = "registry.quarantined", aggregate = "registry_file", aggregateId = "fileId")
    public record RegistryQuarantined(long fileId, String provider, String name, String reason)
            implements DomainEvent {}
}
