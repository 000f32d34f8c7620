package io.kopek.notification.mail;

import io.kopek.customer.Language;
import io.kopek.money.Money;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;

/**
 * How mails write amounts and times: roubles with two decimals and the currency's code ({@code 1 234,50 RUB},
 * {@code 1,234.50 RUB}), dates and times in the business zone. Made for one language; not shared between threads
 * (DecimalFormat is not thread-safe).
 */
final class MailFormat {

    private static final DateTimeFormatter RU_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final DateTimeFormatter EN_DATE =
            DateTimeFormatter.ofPattern("d MMM yyyy", java.util.Locale.ENGLISH);

    private final Language language;
    private final ZoneId zone;
    private final DecimalFormat amounts;

    MailFormat(Language language, ZoneId zone) {
        this.language = language;
        this.zone = zone;
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(language.locale());
        if (language == Language.RU) {
            // A plain space groups thousands: the JDK's Russian no-break space is invisible trouble in plain text.
            symbols.setGroupingSeparator(' ');
            symbols.setDecimalSeparator(',');
        }
        this.amounts = new DecimalFormat("#,##0.00", symbols);
    }

    Language language() {
        return language;
    }

    String money(Money money) {
        return money(money.minor(), money.currency().getCurrencyCode());
    }

    String money(long minor, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return amounts.format(BigDecimal.valueOf(minor, digits)) + " " + currency;
    }

    String date(LocalDate date) {
        return date == null ? "" : (language == Language.RU ? RU_DATE : EN_DATE).format(date);
    }

    /** A moment as the business zone's date and time ({@code 05.12.2026 14:30 (Europe/Moscow)}). */
    String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        var local = instant.atZone(zone);
        return date(local.toLocalDate()) + " "
                + DateTimeFormatter.ofPattern("HH:mm").format(local) + " (" + zone.getId() + ")";
    }
}
