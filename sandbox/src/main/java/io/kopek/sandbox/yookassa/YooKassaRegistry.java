package io.kopek.sandbox.yookassa;

import io.kopek.sandbox.registry.Commission;
import io.kopek.sandbox.registry.RegistryTable;
import io.kopek.sandbox.registry.RegistryTable.XlsxCell;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * YooKassa's daily registries of successful operations ("Ежесуточные реестры платежей и возвратов"): a payments
 * registry and a separate refunds registry, each covering one calendar day of Moscow time, as CSV ({@code ;},
 * decimal point, always two decimals) or XLSX. The columns documented for the standard registry come first; the
 * payment's description and our {@code order_number} metadata field follow, as a "настраиваемый реестр" can be set
 * up to carry them. File names are Kopek's convention: YooKassa's own pattern is not published.
 */
public final class YooKassaRegistry extends SimulatorRegistry {

    public static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final String[] PAYMENTS = {
        "Идентификатор платежа",
        "Сумма платежа",
        "Валюта платежа",
        "Сумма платежа за вычетом комиссии НКО",
        "Время платежа",
        "Описание платежа",
        "order_number"
    };
    static final String[] REFUNDS = {
        "Идентификатор возврата",
        "Идентификатор платежа",
        "Сумма возврата",
        "Валюта возврата",
        "Время возврата",
        "Описание платежа",
        "order_number"
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    private static final Set<Ugliness> XLSX_CAN = EnumSet.of(
            Ugliness.FULL_PAN,
            Ugliness.BAD_AMOUNT,
            Ugliness.TRUNCATED,
            Ugliness.QUOTED_SEPARATORS,
            Ugliness.IMPOSSIBLE_DATE);

    private volatile boolean xlsx;

    YooKassaRegistry(Settlements settlements, Commission commission) {
        super("yookassa", ZONE, settlements, commission);
    }

    /** Write XLSX workbooks instead of CSV files. */
    public YooKassaRegistry xlsx(boolean xlsx) {
        this.xlsx = xlsx;
        return this;
    }

    @Override
    public boolean supports(Ugliness ugliness) {
        return xlsx
                ? XLSX_CAN.contains(ugliness)
                : ugliness != Ugliness.UNKNOWN_OPERATION && ugliness != Ugliness.WRONG_TRAILER_TOTAL;
    }

    @Override
    public List<WrittenRegistry> write(LocalDate day, Path dir, Set<Ugliness> ugliness) throws IOException {
        return write(settledOn(day), day, dir, ugliness, xlsx);
    }

    /** Writes the payments and the refunds registry of {@code operations}, the ugliness going into the first. */
    public static List<WrittenRegistry> write(
            List<Settled> operations, LocalDate day, Path dir, Set<Ugliness> ugliness, boolean xlsx)
            throws IOException {
        List<Settled> payments =
                operations.stream().filter(s -> s.kind().direction() > 0).toList();
        List<Settled> refunds =
                operations.stream().filter(s -> s.kind().direction() < 0).toList();
        String ext = xlsx ? ".xlsx" : ".csv";
        List<WrittenRegistry> written = new ArrayList<>();
        written.add(file(PAYMENTS, payments, dir.resolve("yookassa_payments_" + day + ext), ugliness, xlsx, false));
        if (!refunds.isEmpty()) {
            written.add(file(REFUNDS, refunds, dir.resolve("yookassa_refunds_" + day + ext), Set.of(), xlsx, true));
        }
        return written;
    }

    private static WrittenRegistry file(
            String[] header, List<Settled> operations, Path path, Set<Ugliness> ugliness, boolean xlsx, boolean refunds)
            throws IOException {
        RegistryTable table = new RegistryTable(header);
        List<List<XlsxCell>> cells = new ArrayList<>();
        for (Settled s : operations) {
            String description = ugliness.contains(Ugliness.QUOTED_SEPARATORS)
                    ? "Заказ \"Ромашка\"; доставка, 2 этаж"
                    : s.description();
            LocalDateTime at = LocalDateTime.ofInstant(s.at(), ZONE);
            if (refunds) {
                table.line(
                        s.operationId(),
                        s.paymentId(),
                        money(s.amount()),
                        "RUB",
                        TIME.format(at),
                        description,
                        s.orderNumber());
                cells.add(List.of(
                        new XlsxCell.Text(s.operationId()),
                        new XlsxCell.Text(s.paymentId()),
                        new XlsxCell.Decimal(s.amount()),
                        new XlsxCell.Text("RUB"),
                        new XlsxCell.DateTime(at),
                        new XlsxCell.Text(description),
                        new XlsxCell.Text(s.orderNumber())));
            } else {
                table.line(
                        s.paymentId(),
                        money(s.amount()),
                        "RUB",
                        money(s.settlement()),
                        TIME.format(at),
                        description,
                        s.orderNumber());
                cells.add(new ArrayList<>(List.of(
                        new XlsxCell.Text(s.paymentId()),
                        new XlsxCell.Decimal(s.amount()),
                        new XlsxCell.Text("RUB"),
                        new XlsxCell.Decimal(s.settlement()),
                        new XlsxCell.DateTime(at),
                        new XlsxCell.Text(description),
                        new XlsxCell.Text(s.orderNumber()))));
            }
        }
        if (ugliness.contains(Ugliness.FULL_PAN)) {
            String paid = "Оплата картой " + Ugliness.FULL_PAN_NUMBER;
            table.spoil(Ugliness.FULL_PAN, 0, "Описание платежа", paid);
            cells.get(0).set(5, new XlsxCell.Text(paid));
        }
        if (ugliness.contains(Ugliness.BAD_AMOUNT)) {
            table.spoil(Ugliness.BAD_AMOUNT, 1, "Сумма платежа", "12O.50");
            cells.get(Math.min(1, cells.size() - 1)).set(1, new XlsxCell.Text("12O.50"));
        }
        if (ugliness.contains(Ugliness.IMPOSSIBLE_DATE)) {
            int column = table.column(refunds ? "Время возврата" : "Время платежа");
            table.spoil(Ugliness.IMPOSSIBLE_DATE, 3, header[column], "31.02.2026 10:00:00");
            cells.get(Math.min(3, cells.size() - 1)).set(column, new XlsxCell.Text("31.02.2026 10:00:00"));
        }
        return xlsx
                ? table.writeXlsx(path, cells, ugliness)
                : table.writeCsv(path, ';', StandardCharsets.UTF_8, ugliness);
    }

    private static String money(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2).toPlainString();
    }
}
