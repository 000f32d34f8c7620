package io.kopek.report.catalogue;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.ledger.AccountBalance;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerEntryView;
import io.kopek.ledger.Side;
import io.kopek.report.Column;
import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportSql;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Providers' commissions per provider, business day and currency, from both sides: what the ledger's
 * {@code provider:{id}:fees:{CUR}} accounts were posted for the day's registry (entries up to the run's watermark, read
 * through the ledger's own service, as no ledger view is published), beside the commission of the lines the day's
 * last reconciliation run matched (what it posts) and what the billing rules expected of them (reconciliation's
 * {@code reconciliation_last_run} and {@code reconciliation_result_line}). The difference is the ledger's less the
 * registry's: zero when every matched commission is posted once.
 *
 * <p>Reconciliation posts a day's fees with the reference {@code "<provider> registry <day>"}, so a posting belongs
 * to the registry's business day, not to the day it was posted; a posting of another reference counts on its own day.
 */
@Component
class CommissionsReport implements ReportDefinition {

    static final List<Column> COLUMNS = List.of(
            Column.text("provider", "Провайдер", 12),
            Column.date("business_date", "Дата"),
            Column.text("currency", "Валюта", 7),
            Column.money("ledger_posted", "Проведено в учёте"),
            Column.money("registry_commission", "Комиссия по реестру"),
            Column.money("expected_commission", "Ожидалось по тарифу"),
            Column.money("difference", "Расхождение (учёт − реестр)"));

    /** The results' side: per provider, day and currency, the matched lines' commissions. */
    private static final List<Column> MATCHED =
            List.of(COLUMNS.get(0), COLUMNS.get(1), COLUMNS.get(2), COLUMNS.get(4), COLUMNS.get(5));

    /** {@code provider:{id}:fees:{CUR}}, as billing's Accounts names them. */
    private static final Pattern FEE_ACCOUNT = Pattern.compile("provider:(.+):fees:([A-Z]{3})");

    private static final int PAGE = 1000;

    private final ReportSql sql;
    private final Ledger ledger;
    private final BusinessCalendar calendar;

    CommissionsReport(ReportSql sql, Ledger ledger, BusinessCalendar calendar) {
        this.sql = sql;
        this.ledger = ledger;
        this.calendar = calendar;
    }

    @Override
    public ReportType type() {
        return ReportType.COMMISSIONS;
    }

    @Override
    public List<Table> tables(ReportQuery query) {
        return List.of(new Table(
                "Комиссии", ReportType.COMMISSIONS.title(), Table.Kind.DETAIL, COLUMNS, () -> rows(query).stream()));
    }

    private record Key(String provider, LocalDate day, String currency) {}

    private static final class Sums {
        long ledger;
        long registry;
        long expected;
    }

    private List<Object[]> rows(ReportQuery query) {
        ReportFilters f = query.filters();
        Map<Key, Sums> sums = new TreeMap<>(
                Comparator.comparing(Key::provider).thenComparing(Key::day).thenComparing(Key::currency));
        FilteredSelect select = new FilteredSelect("""
                        select l.provider, l.business_date, r.currency,
                               coalesce(sum(r.registry_commission), 0), coalesce(sum(r.expected_commission), 0)
                        from reconciliation_last_run l
                        join reconciliation_result_line r on r.run_id = l.run_id
                        where r.result = 'matched' and r.file_id is not null
                          and l.business_date >= :from and l.business_date <= :to""", calendar.zone())
                .bind("from", f.from())
                .bind("to", f.to())
                .and("l.provider = :provider", "provider", f.provider())
                .then("group by l.provider, l.business_date, r.currency");
        for (Object[] row : sql.list(select.sql(), select.parameters(), MATCHED)) {
            Sums s = sums.computeIfAbsent(
                    new Key((String) row[0], (LocalDate) row[1], ((String) row[2]).trim()), k -> new Sums());
            s.registry += (Long) row[3];
            s.expected += (Long) row[4];
        }
        for (String account : feeAccounts(f.provider())) {
            Matcher m = FEE_ACCOUNT.matcher(account);
            m.matches();
            String provider = m.group(1);
            String currency = m.group(2);
            posted(account, provider, query.watermark(), (day, amount) -> {
                if (!day.isBefore(f.from()) && !day.isAfter(f.to())) {
                    sums.computeIfAbsent(new Key(provider, day, currency), k -> new Sums()).ledger += amount;
                }
            });
        }
        List<Object[]> rows = new ArrayList<>(sums.size());
        sums.forEach((k, s) -> rows.add(new Object[] {
            k.provider(), k.day(), k.currency(), s.ledger, s.registry, s.expected, s.ledger - s.registry
        }));
        return rows;
    }

    /** The fee accounts of the provider, or of every provider. */
    private List<String> feeAccounts(String provider) {
        String prefix = provider == null ? "provider:" : "provider:" + provider + ":fees:";
        return ledger.balancesWithPrefix(prefix).stream()
                .map(AccountBalance::code)
                .filter(code -> FEE_ACCOUNT.matcher(code).matches())
                .toList();
    }

    private interface Posting {
        void add(LocalDate day, long amount);
    }

    /** Each posting to the fee account up to the watermark: a debit is a commission, a credit one given back. */
    private void posted(String account, String provider, long watermark, Posting posting) {
        String reference = provider + " registry ";
        long after = 0;
        while (true) {
            List<LedgerEntryView> page = ledger.entries(account, after, PAGE);
            for (LedgerEntryView e : page) {
                if (e.id() > watermark) {
                    return;
                }
                LocalDate day = registryDay(e, reference);
                posting.add(
                        day,
                        e.side() == Side.DEBIT
                                ? e.amount().minor()
                                : -e.amount().minor());
                after = e.id();
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    private LocalDate registryDay(LedgerEntryView e, String reference) {
        if (e.reference() != null && e.reference().startsWith(reference)) {
            try {
                return LocalDate.parse(e.reference().substring(reference.length()));
            } catch (DateTimeParseException notADay) {
                // counted on the day it was posted
            }
        }
        return e.postedAt().atZone(calendar.zone()).toLocalDate();
    }
}
