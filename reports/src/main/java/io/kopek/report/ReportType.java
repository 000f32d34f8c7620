package io.kopek.report;

import static io.kopek.report.Filter.CATEGORY;
import static io.kopek.report.Filter.CUSTOMER;
import static io.kopek.report.Filter.CUSTOMER_TYPE;
import static io.kopek.report.Filter.FROM;
import static io.kopek.report.Filter.MAX_AMOUNT;
import static io.kopek.report.Filter.MERCHANT;
import static io.kopek.report.Filter.MIN_AMOUNT;
import static io.kopek.report.Filter.PROVIDER;
import static io.kopek.report.Filter.STATUS;
import static io.kopek.report.Filter.TO;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The catalogue: every report Kopek makes, with its title, the filters it takes (and needs), the values its status
 * filter takes and the formats it comes in. What each one shows is its {@link ReportDefinition}.
 */
public enum ReportType {
    RECONCILIATION(
            "Сверка с реестром провайдера",
            EnumSet.of(FROM, TO, PROVIDER, STATUS),
            EnumSet.of(FROM, TO, PROVIDER),
            List.of(
                    "matched",
                    "amount_mismatch",
                    "fee_mismatch",
                    "missing_in_registry",
                    "missing_in_ledger",
                    "duplicate_in_registry",
                    "status_mismatch",
                    "other_day"),
            false,
            tables()),
    PAYMENTS(
            "Реестр платежей",
            EnumSet.of(FROM, TO, PROVIDER, MERCHANT, STATUS, CUSTOMER_TYPE, CUSTOMER, MIN_AMOUNT, MAX_AMOUNT),
            EnumSet.of(FROM, TO),
            List.of("balance", "bank_transfer", "card"),
            false,
            tables()),
    REFUNDS(
            "Реестр возвратов",
            EnumSet.of(FROM, TO, PROVIDER, MERCHANT, CUSTOMER_TYPE, CUSTOMER, MIN_AMOUNT, MAX_AMOUNT),
            EnumSet.of(FROM, TO),
            List.of(),
            false,
            tables()),
    HOLDS(
            "Блокировки средств",
            EnumSet.of(FROM, TO, PROVIDER, MERCHANT, STATUS, CUSTOMER_TYPE, CUSTOMER, MIN_AMOUNT, MAX_AMOUNT),
            EnumSet.of(FROM, TO),
            List.of("active", "captured", "released", "expired"),
            false,
            tables()),
    COMMISSIONS(
            "Комиссии провайдеров", EnumSet.of(FROM, TO, PROVIDER), EnumSet.of(FROM, TO), List.of(), false, tables()),
    RECEIVABLES_AGEING(
            "Дебиторская задолженность по срокам",
            EnumSet.of(TO, MERCHANT, CUSTOMER_TYPE, CUSTOMER),
            EnumSet.of(TO),
            List.of(),
            true,
            tables()),
    CUSTOMER_BALANCES(
            "Авансы покупателей", EnumSet.of(TO, CUSTOMER_TYPE, CUSTOMER), EnumSet.of(TO), List.of(), true, tables()),
    TURNOVER("Оборотно-сальдовая ведомость", EnumSet.of(FROM, TO), EnumSet.of(FROM, TO), List.of(), false, tables()),
    REVENUE(
            "Выручка по категориям и типам покупателей",
            EnumSet.of(FROM, TO, MERCHANT, CATEGORY, CUSTOMER_TYPE),
            EnumSet.of(FROM, TO),
            List.of(),
            false,
            tables()),
    RECEIPTS(
            "Кассовые чеки",
            EnumSet.of(FROM, TO, MERCHANT, STATUS),
            EnumSet.of(FROM, TO),
            List.of("pending", "waiting", "done", "failed", "invalid", "exempt"),
            false,
            tables()),
    UNFISCALIZED(
            "Операции без кассового чека",
            EnumSet.of(FROM, TO, MERCHANT),
            EnumSet.of(FROM, TO),
            List.of(),
            false,
            tables()),
    /** Providers' settlements and commissions as 1C:Enterprise's bank statement import reads them. */
    BANK_STATEMENT_1C(
            "Выписка для 1С: расчёты с провайдерами",
            EnumSet.of(FROM, TO, PROVIDER, MERCHANT),
            EnumSet.of(FROM, TO, MERCHANT),
            List.of(),
            false,
            EnumSet.of(ReportFormat.ONEC));

    private final String title;
    private final Set<Filter> filters;
    private final Set<Filter> required;
    private final List<String> statuses;
    private final boolean asOfDay;
    private final Set<ReportFormat> formats;

    ReportType(
            String title,
            Set<Filter> filters,
            Set<Filter> required,
            List<String> statuses,
            boolean asOfDay,
            Set<ReportFormat> formats) {
        this.title = title;
        this.filters = Set.copyOf(filters);
        this.required = Set.copyOf(required);
        this.statuses = statuses;
        this.asOfDay = asOfDay;
        this.formats = Set.copyOf(formats);
    }

    private static Set<ReportFormat> tables() {
        return EnumSet.of(ReportFormat.XLSX, ReportFormat.PDF, ReportFormat.CSV);
    }

    /** The report's name in the API and in file names ({@code receivables_ageing}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReportType of(String code) {
        return Arrays.stream(values())
                .filter(t -> t.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new InvalidFilterException(
                        "report",
                        "report: no such report; the catalogue has "
                                + Arrays.stream(values()).map(ReportType::code).toList()));
    }

    /** Its title for people, in Russian as on the report itself. */
    public String title() {
        return title;
    }

    public Set<Filter> filters() {
        return filters;
    }

    public Set<Filter> required() {
        return required;
    }

    /** The values of its {@code status} filter; empty when it takes none. */
    public List<String> statuses() {
        return statuses;
    }

    /** A report of the state as of a day ({@code to}, today when not given) rather than of a period. */
    public boolean asOfDay() {
        return asOfDay;
    }

    public Set<ReportFormat> formats() {
        return formats;
    }
}
