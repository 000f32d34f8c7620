package io.kopek.sandbox.acme;

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
 * Acme processing's daily settlement file, made up like the rest of Acme: a {@code ,}-separated UTF-8 CSV
 * ({@code acme_settlement_<yyyy-MM-dd>.csv}) with one line per sale, capture, refund or chargeback, decimal point,
 * local times of the processing centre in Yekaterinburg, fee and net per line, no totals line. The generic processor
 * reads it from the {@code registry} section of {@code acme-processing.yml}.
 */
public final class AcmeRegistry extends SimulatorRegistry {

    public static final ZoneId ZONE = ZoneId.of("Asia/Yekaterinburg");
    static final String[] HEADER = {
        "payment_id", "order_id", "type", "amount", "fee", "net", "currency", "card", "created_at", "description"
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    AcmeRegistry(Settlements settlements, Commission commission) {
        super("acme", ZONE, settlements, commission);
    }

    @Override
    public boolean supports(Ugliness ugliness) {
        return ugliness != Ugliness.WRONG_TRAILER_TOTAL;
    }

    @Override
    public List<WrittenRegistry> write(LocalDate day, Path dir, Set<Ugliness> ugliness) throws IOException {
        return List.of(write(settledOn(day), day, dir, ugliness));
    }

    /** Writes the settlement file of {@code operations} for {@code day}. */
    public static WrittenRegistry write(List<Settled> operations, LocalDate day, Path dir, Set<Ugliness> ugliness)
            throws IOException {
        RegistryTable table = new RegistryTable(HEADER);
        for (Settled s : operations) {
            table.line(
                    s.paymentId(),
                    s.orderNumber(),
                    switch (s.kind()) {
                        case PAYMENT -> "SALE";
                        case CAPTURE -> "CAPTURE";
                        case REFUND -> "REFUND";
                        case CHARGEBACK -> "CHARGEBACK";
                    },
                    money(s.amount()),
                    money(s.commission()),
                    money(s.settlement()),
                    "RUB",
                    s.cardMask(),
                    TIME.format(LocalDateTime.ofInstant(s.at(), ZONE)),
                    ugliness.contains(Ugliness.QUOTED_SEPARATORS)
                            ? "Order \"Chamomile\", delivery; floor 2"
                            : s.description());
        }
        if (ugliness.contains(Ugliness.FULL_PAN)) {
            table.spoil(Ugliness.FULL_PAN, 0, "card", Ugliness.FULL_PAN_NUMBER);
        }
        if (ugliness.contains(Ugliness.BAD_AMOUNT)) {
            table.spoil(Ugliness.BAD_AMOUNT, 1, "amount", "12.5.0");
        }
        if (ugliness.contains(Ugliness.UNKNOWN_OPERATION)) {
            table.spoil(Ugliness.UNKNOWN_OPERATION, 2, "type", "ADJUSTMENT");
        }
        if (ugliness.contains(Ugliness.IMPOSSIBLE_DATE)) {
            table.spoil(Ugliness.IMPOSSIBLE_DATE, 3, "created_at", "2026-02-31 10:00:00");
        }
        return table.writeCsv(dir.resolve("acme_settlement_" + day + ".csv"), ',', StandardCharsets.UTF_8, ugliness);
    }

    private static String money(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2).toPlainString();
    }
}
