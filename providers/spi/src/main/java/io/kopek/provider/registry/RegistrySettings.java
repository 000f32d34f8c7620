package io.kopek.provider.registry;

import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryPolicy;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A column-mapped CSV registry as configuration describes it ({@code kopek.providers.sber.registry},
 * {@code kopek.generic-processors.<id>.registry}). Every setting left out falls back to the provider's defaults
 * ({@link #orElse}).
 *
 * @param filePattern a regular expression for the file names, with a named group {@code date}
 * @param fileDateFormat how that group writes the date ({@code yyyyMMdd})
 * @param encoding {@code auto}, {@code utf-8} or {@code windows-1251}
 * @param separator {@code ;}, {@code ,} or {@code auto}
 * @param decimal {@code comma}, {@code point}, {@code either} or {@code minor} (integer kopecks)
 * @param timeFormat a {@link DateTimeFormatter} pattern, or {@code iso} for ISO-8601 with or without an offset
 * @param zone the provider's time zone, for times written without an offset
 * @param currency the currency when there is no currency column
 * @param columns field ({@code payment-id}, {@code order-number}, {@code operation}, {@code amount},
 *     {@code commission}, {@code settlement}, {@code currency}, {@code time}, {@code card-mask}) to column header
 * @param operations the provider's operation values to ours ({@code payment}, {@code capture}, {@code refund},
 *     {@code chargeback})
 * @param fixedOperation the operation of every line when there is no operation column
 * @param trailer the totals line, if any
 * @param policy {@code per-line} or {@code all-or-nothing}
 */
public record RegistrySettings(
        String filePattern,
        String fileDateFormat,
        String encoding,
        String separator,
        String decimal,
        String timeFormat,
        String zone,
        String currency,
        Map<String, String> columns,
        Map<String, String> operations,
        String fixedOperation,
        TrailerSettings trailer,
        String policy) {

    /** @param marker the first field of the totals line; lines, amount, commission: positions (1 = the marker) */
    public record TrailerSettings(String marker, Integer lines, Integer amount, Integer commission) {}

    /** These settings, each missing one taken from {@code defaults}. */
    public RegistrySettings orElse(RegistrySettings defaults) {
        return new RegistrySettings(
                or(filePattern, defaults.filePattern),
                or(fileDateFormat, defaults.fileDateFormat),
                or(encoding, defaults.encoding),
                or(separator, defaults.separator),
                or(decimal, defaults.decimal),
                or(timeFormat, defaults.timeFormat),
                or(zone, defaults.zone),
                or(currency, defaults.currency),
                columns == null || columns.isEmpty() ? defaults.columns : columns,
                operations == null || operations.isEmpty() ? defaults.operations : operations,
                or(fixedOperation, defaults.fixedOperation),
                trailer == null ? defaults.trailer : trailer,
                or(policy, defaults.policy));
    }

    /** The format these settings describe, for {@code provider}. */
    public RegistryFormat format(String provider) {
        if (filePattern == null || columns == null || timeFormat == null || zone == null) {
            throw new IllegalArgumentException(
                    provider + " registry: file-pattern, columns, time-format and zone are required");
        }
        Map<RegistryFormat.Field, String> mapped = new LinkedHashMap<>();
        columns.forEach((field, header) -> mapped.put(RegistryFormat.Field.of(field), header));
        Map<String, RegistryOperation> ops = new LinkedHashMap<>();
        if (operations != null) {
            operations.forEach((theirs, ours) -> ops.put(theirs, operation(ours)));
        }
        String sep = separator == null ? "auto" : separator;
        RegistryFormat.Trailer totals = trailer == null || trailer.marker() == null
                ? null
                : new RegistryFormat.Trailer(
                        trailer.marker(),
                        zeroIfNull(trailer.lines()),
                        zeroIfNull(trailer.amount()),
                        zeroIfNull(trailer.commission()));
        return new RegistryFormat(
                provider,
                Pattern.compile(filePattern),
                DateTimeFormatter.ofPattern(fileDateFormat == null ? "yyyyMMdd" : fileDateFormat),
                RegistryEncoding.of(encoding == null ? "auto" : encoding),
                sep.equalsIgnoreCase("auto") ? null : separator(sep),
                DecimalMark.of(decimal == null ? "either" : decimal),
                timeFormat.equalsIgnoreCase("iso")
                        ? DateTimeFormatter.ISO_DATE_TIME
                        : DateTimeFormatter.ofPattern(timeFormat),
                ZoneId.of(zone),
                Currency.getInstance(currency == null ? "RUB" : currency),
                List.of(new RegistryFormat.Layout(
                        "registry", mapped, fixedOperation == null ? null : operation(fixedOperation), ops)),
                totals,
                policy == null || policy.equalsIgnoreCase("per-line")
                        ? RegistryPolicy.PER_LINE
                        : RegistryPolicy.valueOf(
                                policy.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    private static Character separator(String value) {
        return switch (value) {
            case ";", ",", "|" -> value.charAt(0);
            case "\\t", "tab" -> '\t';
            default -> throw new IllegalArgumentException("unsupported registry separator " + value);
        };
    }

    private static RegistryOperation operation(String name) {
        return RegistryOperation.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
