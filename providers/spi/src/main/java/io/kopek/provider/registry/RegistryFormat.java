package io.kopek.provider.registry;

import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryPolicy;
import java.time.ZoneId;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything {@link ColumnMappedRegistryParser} needs to read one provider's registries: which files are its, how
 * their bytes, numbers and times are written, and which column holds which field.
 *
 * @param provider the provider's id
 * @param fileName the names of its registry files; a named group {@code date} carries the business day
 * @param fileDate how that group writes the date
 * @param encoding how the bytes are decoded
 * @param separator the CSV separator, or null to tell {@code ;} from {@code ,} by the header line
 * @param decimalMark how money is written
 * @param time how operation times are written; without an offset in them they are read in {@code zone}
 * @param zone the provider's time zone
 * @param currency the currency when the file has no currency column
 * @param layouts the kinds of file the provider delivers (payments, refunds...), told apart by their header: the
 *     first layout whose columns are all in the header is used
 * @param trailer the totals line at the end, if the provider writes one
 * @param policy what a rejected line does to the rest of the file
 */
public record RegistryFormat(
        String provider,
        Pattern fileName,
        DateTimeFormatter fileDate,
        RegistryEncoding encoding,
        Character separator,
        DecimalMark decimalMark,
        DateTimeFormatter time,
        ZoneId zone,
        Currency currency,
        List<Layout> layouts,
        Trailer trailer,
        RegistryPolicy policy) {

    public RegistryFormat {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(decimalMark, "decimalMark");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(policy, "policy");
        time = strict(time);
        fileDate = fileDate == null ? null : strict(fileDate);
        layouts = List.copyOf(layouts);
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException(provider + ": a registry format needs at least one layout");
        }
    }

    /**
     * The same pattern, read strictly: the 31st of February is an error, not the 28th (a formatter's default, "smart"
     * resolving, bends an impossible day to the month's last). The era is taken as the common one, so that a
     * {@code yyyy} pattern still reads under strict resolving.
     */
    private static DateTimeFormatter strict(DateTimeFormatter formatter) {
        if (formatter.getResolverStyle() == ResolverStyle.STRICT) {
            return formatter;
        }
        DateTimeFormatter strict = new DateTimeFormatterBuilder()
                .parseDefaulting(ChronoField.ERA, 1)
                .append(formatter)
                .toFormatter(formatter.getLocale())
                .withResolverStyle(ResolverStyle.STRICT)
                .withChronology(IsoChronology.INSTANCE);
        return formatter.getZone() == null ? strict : strict.withZone(formatter.getZone());
    }

    /** The fields of a registry line that a column can hold. */
    public enum Field {
        PAYMENT_ID,
        ORDER_NUMBER,
        OPERATION,
        AMOUNT,
        COMMISSION,
        SETTLEMENT,
        CURRENCY,
        TIME,
        CARD_MASK;

        /** {@code payment-id} is {@link #PAYMENT_ID}. */
        public static Field of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * One kind of file.
     *
     * @param name what it is, for messages ({@code payments}, {@code refunds})
     * @param columns the header of the column of each field present; payment id, amount and time are required,
     *     and either operation or {@code fixedOperation}
     * @param fixedOperation the operation of every line when the file has no operation column
     * @param operations the provider's operation values (compared ignoring case) mapped to ours
     */
    public record Layout(
            String name,
            Map<Field, String> columns,
            RegistryOperation fixedOperation,
            Map<String, RegistryOperation> operations) {

        public Layout {
            columns = Map.copyOf(columns);
            operations = operations == null
                    ? Map.of()
                    : operations.entrySet().stream()
                            .collect(Collectors.toUnmodifiableMap(
                                    e -> e.getKey().trim().toUpperCase(Locale.ROOT), Map.Entry::getValue));
            for (Field required : List.of(Field.PAYMENT_ID, Field.AMOUNT, Field.TIME)) {
                if (!columns.containsKey(required)) {
                    throw new IllegalArgumentException(name + ": a registry layout needs the column of " + required);
                }
            }
            if (!columns.containsKey(Field.OPERATION) && fixedOperation == null) {
                throw new IllegalArgumentException(name + ": an operation column or a fixed operation is needed");
            }
        }
    }

    /**
     * The totals line: the first field is {@code marker}; the others are given by their position (1 = the marker's
     * column), 0 when absent.
     */
    public record Trailer(String marker, int lines, int amount, int commission) {

        public Trailer {
            Objects.requireNonNull(marker, "marker");
        }
    }
}
