package io.kopek.sandbox.sber;

import io.kopek.sandbox.registry.Commission;
import io.kopek.sandbox.registry.RegistryTable;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.Settlements;
import io.kopek.sandbox.registry.SimulatorRegistry;
import io.kopek.sandbox.registry.Ugliness;
import io.kopek.sandbox.registry.WrittenRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * Sberbank acquiring's settlement registry, as Kopek expects it. Sber publishes no specification, so this follows
 * the registries of other Russian acquirers (Tochka's is public): one {@code ;}-separated CSV per day, decimal
 * comma, refunds as negative sums, times in Moscow, masked card numbers, {@code TRANSACTION_TYPE} PAYMENT or
 * REFUND, and a closing {@code ИТОГО} line with the number of operations, the sum and the commission. The parser
 * in {@code providers/sber} reads it through configuration, so a different real layout is a configuration change.
 */
public final class SberRegistry extends SimulatorRegistry {

    public static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final String[] HEADER = {
        "TRANS_DATE",
        "ORDER_ID",
        "TRANSACTION_ID",
        "ORDER_NUMBER",
        "SUM",
        "COMMISSION",
        "CARD_NUMBER",
        "TRANSACTION_TYPE",
        "RRN",
        "AUTH_CODE",
        "PAYMENT_METHOD_TYPE",
        "DESCRIPTION"
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    SberRegistry(Settlements settlements, Commission commission) {
        super("sber", ZONE, settlements, commission);
    }

    @Override
    public boolean supports(Ugliness ugliness) {
        return true;
    }

    @Override
    public List<WrittenRegistry> write(LocalDate day, Path dir, Set<Ugliness> ugliness) throws IOException {
        return List.of(write(settledOn(day), day, dir, ugliness));
    }

    /** Writes the registry of {@code operations} for {@code day}. */
    public static WrittenRegistry write(List<Settled> operations, LocalDate day, Path dir, Set<Ugliness> ugliness)
            throws IOException {
        RegistryTable table = new RegistryTable(HEADER);
        long sum = 0;
        long fees = 0;
        for (Settled s : operations) {
            long signed = s.kind().direction() * s.amount();
            sum += signed;
            fees += s.commission();
            table.line(
                    TIME.format(LocalDateTime.ofInstant(s.at(), ZONE)),
                    s.paymentId(),
                    s.operationId(),
                    s.orderNumber(),
                    money(signed),
                    money(s.commission()),
                    s.cardMask(),
                    s.kind().direction() > 0 ? "PAYMENT" : "REFUND",
                    digits(s.operationId(), 12),
                    digits(s.operationId() + "auth", 6),
                    "CARD",
                    ugliness.contains(Ugliness.QUOTED_SEPARATORS)
                            ? "Заказ \"Ромашка\"; доставка, 2 этаж"
                            : s.description());
        }
        if (ugliness.contains(Ugliness.FULL_PAN)) {
            table.spoil(Ugliness.FULL_PAN, 0, "CARD_NUMBER", Ugliness.FULL_PAN_NUMBER);
        }
        if (ugliness.contains(Ugliness.BAD_AMOUNT)) {
            table.spoil(Ugliness.BAD_AMOUNT, 1, "SUM", "12O,50");
        }
        if (ugliness.contains(Ugliness.UNKNOWN_OPERATION)) {
            table.spoil(Ugliness.UNKNOWN_OPERATION, 2, "TRANSACTION_TYPE", "REVERSAL");
        }
        if (ugliness.contains(Ugliness.IMPOSSIBLE_DATE)) {
            table.spoil(Ugliness.IMPOSSIBLE_DATE, 3, "TRANS_DATE", "31.02.2026 10:00:00");
        }
        long declared = ugliness.contains(Ugliness.WRONG_TRAILER_TOTAL) ? sum + 100 : sum;
        table.trailer("ИТОГО", Integer.toString(operations.size()), money(declared), money(fees));
        return table.writeCsv(
                dir.resolve("SBER_REGISTRY_" + DAY.format(day) + ".csv"), ';', StandardCharsets.UTF_8, ugliness);
    }

    private static String money(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2).toPlainString().replace('.', ',');
    }

    /** A stable made-up number (RRN, auth code) derived from an id. */
    private static String digits(String seed, int length) {
        long n = Math.abs((long) seed.hashCode() * 2_654_435_761L);
        String digits = Long.toString(n % Long.parseLong("1" + "0".repeat(length)));
        return "0".repeat(length - digits.length()) + digits;
    }
}
