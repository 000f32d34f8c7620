package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Card turnover per provider, business day and currency: the card payments and card refunds billing recorded, on
 * the day the reconciliation puts them (their time in the business zone), so the two never disagree about a day.
 */
@Service
public class CardTurnover {

    /** One provider's day in one currency: how many payments and how much, how many refunds and how much. */
    public record Day(
            String provider,
            LocalDate businessDate,
            String currency,
            long payments,
            long amount,
            long refunds,
            long refunded) {}

    private final JdbcClient jdbc;
    private final BusinessCalendar calendar;

    CardTurnover(JdbcClient jdbc, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.calendar = calendar;
    }

    /** Every provider's days from {@code from} to {@code to} (both included) with a card payment or refund. */
    @Transactional(readOnly = true)
    public List<Day> perDay(LocalDate from, LocalDate to) {
        Timestamp start = Timestamp.from(from.atStartOfDay(calendar.zone()).toInstant());
        Timestamp end =
                Timestamp.from(to.plusDays(1).atStartOfDay(calendar.zone()).toInstant());
        return jdbc.sql("""
                        with operations as (
                            select provider, (created_at at time zone :zone)::date as day, currency,
                                   1 as payments, amount, 0 as refunds, 0::bigint as refunded
                            from billing_card_payment where created_at >= :start and created_at < :end
                            union all
                            select provider, (created_at at time zone :zone)::date, currency, 0, 0, 1, amount
                            from billing_card_refund where created_at >= :start and created_at < :end
                        )
                        select provider, day, currency, sum(payments) as payments, sum(amount) as amount,
                               sum(refunds) as refunds, sum(refunded) as refunded
                        from operations group by provider, day, currency order by day, provider, currency""")
                .param("zone", calendar.zone().getId())
                .param("start", start)
                .param("end", end)
                .query((rs, n) -> new Day(
                        rs.getString("provider"),
                        rs.getObject("day", LocalDate.class),
                        rs.getString("currency").trim(),
                        rs.getLong("payments"),
                        rs.getLong("amount"),
                        rs.getLong("refunds"),
                        rs.getLong("refunded")))
                .list();
    }
}
