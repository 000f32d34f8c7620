package io.kopek.calendar;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** "Now" and "today" for business purposes: today is counted in the business time zone, not the server's. */
@Component
public class BusinessCalendar {

    private final Clock clock;
    private final ZoneId zone;

    BusinessCalendar(Clock clock, @Value("${kopek.business-zone:Europe/Moscow}") ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** Microseconds, the precision PostgreSQL keeps, so a time read back equals the time written. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    public ZoneId zone() {
        return zone;
    }
}
