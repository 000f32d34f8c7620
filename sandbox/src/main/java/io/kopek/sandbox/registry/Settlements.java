package io.kopek.sandbox.registry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A simulator's book of what it settled, appended as payments are charged and refunded. */
public final class Settlements {

    private final List<Settled> settled = new CopyOnWriteArrayList<>();

    public void add(Settled operation) {
        settled.add(operation);
    }

    /** The operations of {@code day} in {@code zone}, in time order. */
    public List<Settled> on(LocalDate day, ZoneId zone) {
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        return settled.stream()
                .filter(s -> !s.at().isBefore(from) && s.at().isBefore(to))
                .sorted(Comparator.comparing(Settled::at))
                .toList();
    }
}
