package io.kopek.scheduler;

import io.kopek.schedule.ScheduledWork;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The periodic work this process can do: every {@link ScheduledWork} bean, by name. */
@Component
class Works {

    private final ObjectProvider<ScheduledWork> beans;
    private volatile Map<String, ScheduledWork> byName;

    Works(ObjectProvider<ScheduledWork> beans) {
        this.beans = beans;
    }

    Map<String, ScheduledWork> all() {
        Map<String, ScheduledWork> works = byName;
        if (works == null) {
            works = new TreeMap<>();
            for (ScheduledWork work : beans.orderedStream().toList()) {
                ScheduledWork other = works.put(work.name(), work);
                if (other != null) {
                    throw new IllegalStateException("two scheduled works are named " + work.name());
                }
            }
            byName = works = Map.copyOf(works);
        }
        return works;
    }

    Optional<ScheduledWork> named(String name) {
        return Optional.ofNullable(all().get(name));
    }
}
