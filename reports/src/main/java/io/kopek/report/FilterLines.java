package io.kopek.report;

import io.kopek.customer.CustomerType;
import io.kopek.report.format.ReportHeader.FilterLine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A run's filters as the header of its file shows them, in Russian. */
final class FilterLines {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private FilterLines() {}

    static List<FilterLine> of(ReportFilters f) {
        List<FilterLine> lines = new ArrayList<>();
        if (f.from() != null && f.to() != null) {
            lines.add(new FilterLine(
                    "Период", f.from().equals(f.to()) ? day(f.from()) : day(f.from()) + " – " + day(f.to())));
        } else if (f.to() != null) {
            lines.add(new FilterLine("На дату", day(f.to())));
        }
        add(lines, "Провайдер", f.provider());
        add(lines, "Продавец", f.merchant());
        add(lines, "Статус", f.status());
        add(lines, "Категория", f.category());
        if (f.customerType() != null) {
            lines.add(new FilterLine("Тип покупателя", customerType(f.customerType())));
        }
        if (f.customer() != null) {
            lines.add(new FilterLine("Покупатель", "№ " + f.customer()));
        }
        if (f.minAmount() != null) {
            lines.add(new FilterLine("Сумма от, ₽", roubles(f.minAmount())));
        }
        if (f.maxAmount() != null) {
            lines.add(new FilterLine("Сумма до, ₽", roubles(f.maxAmount())));
        }
        return lines;
    }

    private static void add(List<FilterLine> lines, String title, String value) {
        if (value != null) {
            lines.add(new FilterLine(title, value));
        }
    }

    private static String day(LocalDate d) {
        return DAY.format(d);
    }

    private static String roubles(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString().replace('.', ',');
    }

    private static String customerType(CustomerType type) {
        return switch (type) {
            case INDIVIDUAL -> "физическое лицо";
            case SOLE_PROPRIETOR -> "индивидуальный предприниматель";
            case COMPANY -> "юридическое лицо";
        };
    }
}
