package io.kopek.report.onec;

import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.catalog.Requisites;
import io.kopek.report.ColumnType;
import io.kopek.report.ExchangeFile;
import io.kopek.report.InvalidFilterException;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.report.onec.OneCProperties.ProviderDetails;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The providers' settlements to a merchant's settlement account and their commissions for a period, as 1C's bank
 * statement import reads them ({@link ClientBankExchange}).
 *
 * <p>Each provider's business day is two payment orders, from what its registries of the day say (the intake's
 * {@code registry_imported_day}, the sums of its imported lines per day): the settlement, the day's operations net of refunds, from the provider to the
 * merchant; and the commission the provider kept from it, from the merchant to the provider. The account's
 * turnover of the day is then what the provider transferred ({@code settled_amount}), and 1C books the revenue and
 * the commission expense apart, as an accountant does from the provider's report. (A day whose refunds exceed its
 * payments turns its settlement round; a commission given back, its commission.) Documents are dated by the
 * registry's business day: the transfer reaches the bank a day or so later, which Kopek does not learn. The
 * reconciliation posts the commissions of the lines it matched to {@code provider:{id}:fees}; the statement shows
 * what the provider kept, matched or not, as the bank does.
 *
 * <p>The balances are those of the settlements alone, since Kopek does not know the account's other movements:
 * the opening balance is what the same providers settled to the account before the period, so that one
 * statement's closing balance is the next one's opening.
 *
 * <p>Numbers are stable, so that exporting a period again gives the same documents and 1C's import recognises
 * them: the provider's series (two digits), the day of the year (three) and the kind (1 settlement, 2 commission).
 *
 * <p>Everything is read and checked before a byte is written: a merchant without bank details is refused as its
 * filter ({@link InvalidFilterException}, {@code filters.merchant}: the request names the wrong merchant), a
 * provider whose details are missing from the configuration fails the run with the keys to set
 * ({@link IllegalStateException}: an operator's fix, not the requester's).
 */
@Component
class BankStatement1C implements ExchangeFile {

    private static final String CURRENCY = "RUB";

    /** The last digit of a document's number: which of a provider's day's two documents it is. */
    static final String SETTLEMENT = "1";

    static final String COMMISSION = "2";

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final OneCProperties properties;

    BankStatement1C(JdbcClient jdbc, Catalog catalog, OneCProperties properties) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.properties = properties;
    }

    @Override
    public ReportType type() {
        return ReportType.BANK_STATEMENT_1C;
    }

    @Override
    public ReportSummary write(ReportQuery query, OutputStream out) throws IOException {
        Statement statement = statement(query.filters());
        byte[] file = ClientBankExchange.render(statement);
        out.write(file);
        return new ReportSummary(List.of(new ReportSummary.TableSummary(
                "documents",
                statement.documents().size(),
                List.of(
                        total("received", "Всего поступило", statement.received()),
                        total("debited", "Всего списано", statement.debited()),
                        total("opening", "Начальный остаток", statement.opening()),
                        total("closing", "Конечный остаток", statement.closing())))));
    }

    private static ReportSummary.ControlTotal total(String column, String title, long kopecks) {
        return new ReportSummary.ControlTotal(column, title, ColumnType.MONEY, BigDecimal.valueOf(kopecks));
    }

    @Override
    public void check(ReportFilters filters) {
        Merchant merchant = merchant(filters.merchant());
        payee(merchant);
        payers(merchant.code(), filters.provider());
    }

    Statement statement(ReportFilters filters) {
        if (filters.from() == null || filters.to() == null) {
            throw new InvalidFilterException(
                    filters.from() == null ? "filters.from" : "filters.to", "a statement is of a period: from and to");
        }
        Merchant merchant = merchant(filters.merchant());
        Statement.Party payee = payee(merchant);
        Map<String, Statement.Party> payers = payers(merchant.code(), filters.provider());
        Map<String, Integer> series = series(merchant.code(), payers.keySet());

        List<Statement.Document> documents = new ArrayList<>();
        long received = 0;
        long debited = 0;
        long settled = 0;
        for (Day day : days(payers.keySet(), filters.from(), filters.to())) {
            Statement.Party payer = payers.get(day.provider());
            String number =
                    series.get(day.provider()) + "%03d".formatted(day.date().getDayOfYear());
            long gross = Math.addExact(day.settled(), day.commission());
            if (gross != 0) {
                documents.add(new Statement.Document(
                        number + SETTLEMENT,
                        day.date(),
                        Math.abs(gross),
                        gross > 0 ? payer : payee,
                        gross > 0 ? payee : payer,
                        gross > 0,
                        purpose(
                                "Расчёты по операциям оплаты картами за %s по реестру %s, операций: %d; оплаты за"
                                        + " вычетом возвратов %s, комиссия %s, к перечислению %s. Без налога (НДС)",
                                ClientBankExchange.date(day.date()),
                                day.provider(),
                                day.lines(),
                                ClientBankExchange.rubles(gross),
                                ClientBankExchange.rubles(day.commission()),
                                ClientBankExchange.rubles(day.settled()))));
            }
            if (day.commission() != 0) {
                // Acquiring and money transfers are banking operations, free of VAT (Tax Code art. 149 p. 3 sp. 3).
                documents.add(new Statement.Document(
                        number + COMMISSION,
                        day.date(),
                        Math.abs(day.commission()),
                        day.commission() > 0 ? payee : payer,
                        day.commission() > 0 ? payer : payee,
                        day.commission() < 0,
                        purpose(
                                "Комиссия за расчёты по операциям оплаты картами за %s по реестру %s, удержанная из"
                                        + " возмещения: %s. НДС не облагается",
                                ClientBankExchange.date(day.date()),
                                day.provider(),
                                ClientBankExchange.rubles(day.commission()))));
            }
            settled = Math.addExact(settled, day.settled());
        }
        for (Statement.Document d : documents) {
            if (d.incoming()) {
                received = Math.addExact(received, d.amount());
            } else {
                debited = Math.addExact(debited, d.amount());
            }
        }
        long opening = settledBefore(payers.keySet(), filters.from());
        return new Statement(
                properties.sender(),
                filters.from(),
                filters.to(),
                payee.account(),
                opening,
                received,
                debited,
                Math.addExact(opening, settled),
                documents);
    }

    /** A payment order's purpose: at most 210 characters (field 24 of a payment order). */
    private static String purpose(String template, Object... values) {
        String purpose = template.formatted(values);
        if (purpose.length() > 210) {
            throw new IllegalStateException("a payment purpose is at most 210 characters: " + purpose);
        }
        return purpose;
    }

    private Merchant merchant(String code) {
        if (code == null) {
            throw new InvalidFilterException("filters.merchant", "merchant: the statement is of a merchant's account");
        }
        return catalog.merchantByCode(code)
                .orElseThrow(
                        () -> new InvalidFilterException("filters.merchant", "merchant: there is no merchant " + code));
    }

    private static Statement.Party payee(Merchant m) {
        BankDetails b = m.bankDetails();
        if (b == null || m.inn() == null) {
            throw new InvalidFilterException(
                    "filters.merchant",
                    "merchant: " + m.code() + " has no bank details (ИНН, legal name, КПП, settlement account, bank,"
                            + " БИК, correspondent account), which its bank statement names it by; give them first");
        }
        List<Requisites.Violation> violations = Requisites.check(m.inn(), b);
        if (!violations.isEmpty()) {
            throw new InvalidFilterException(
                    "filters.merchant", "merchant: " + m.code() + "'s bank details are wrong: " + violations);
        }
        return new Statement.Party(
                b.legalName(),
                m.inn(),
                b.kpp(),
                b.settlementAccount(),
                b.bankName(),
                b.bik(),
                b.correspondentAccount());
    }

    /**
     * The providers that settle to the merchant's account, by code, each with its details checked: all that are
     * missing or wrong named at once with their keys.
     */
    private Map<String, Statement.Party> payers(String merchant, String onlyProvider) {
        if (onlyProvider != null) {
            ProviderDetails details = properties.providers().get(onlyProvider);
            if (details == null) {
                throw new IllegalStateException("provider " + onlyProvider + " has no bank details for 1C: set "
                        + key(onlyProvider, "*") + " (merchant, legal-name, inn, kpp, settlement-account, bank-name,"
                        + " bik, correspondent-account)");
            }
            if (details.merchant() == null) {
                throw new IllegalStateException("provider " + onlyProvider + " settles to no merchant's account: set "
                        + key(onlyProvider, "merchant") + " to the merchant's code");
            }
            if (!details.merchant().equals(merchant)) {
                throw new InvalidFilterException(
                        "filters.provider",
                        "provider: " + onlyProvider + " settles to merchant " + details.merchant() + "'s account, not "
                                + merchant + "'s");
            }
        }
        Map<String, Statement.Party> payers = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        properties.providers().forEach((code, p) -> {
            if (!merchant.equals(p.merchant()) || (onlyProvider != null && !onlyProvider.equals(code))) {
                return;
            }
            List<String> wrong = new ArrayList<>();
            BankDetails b = new BankDetails(
                    p.legalName(), p.kpp(), p.settlementAccount(), p.bankName(), p.bik(), p.correspondentAccount());
            if (p.inn() == null) {
                wrong.add(key(code, "inn") + " is missing");
            }
            for (Requisites.Violation v : Requisites.check(p.inn(), b)) {
                if (!(p.inn() == null && v.field().equals("inn"))) {
                    wrong.add(key(code, v.field()) + " " + v.message());
                }
            }
            if (p.series() != null && (p.series() < 10 || p.series() > 99)) {
                wrong.add(key(code, "series") + " must be between 10 and 99");
            }
            if (wrong.isEmpty()) {
                payers.put(
                        code,
                        new Statement.Party(
                                p.legalName(),
                                p.inn(),
                                p.kpp(),
                                p.settlementAccount(),
                                p.bankName(),
                                p.bik(),
                                p.correspondentAccount()));
            }
            problems.addAll(wrong);
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "the providers' bank details for 1C are incomplete: " + String.join("; ", problems));
        }
        return payers;
    }

    /** A configuration key of a provider, from a field of {@link Requisites#check} ({@code bankDetails.bik}). */
    private static String key(String provider, String field) {
        String name = field.substring(field.lastIndexOf('.') + 1)
                .replaceAll("([a-z])([A-Z])", "$1-$2")
                .toLowerCase(java.util.Locale.ROOT);
        return "kopek.reports.onec.providers." + provider + "." + name;
    }

    /** Each provider's series of document numbers: one per provider of the merchant. */
    private Map<String, Integer> series(String merchant, Iterable<String> providers) {
        Map<String, Integer> series = new LinkedHashMap<>();
        Map<Integer, String> taken = new TreeMap<>();
        for (String code : providers) {
            Integer configured = properties.providers().get(code).series();
            int s = configured != null ? configured : defaultSeries(code);
            String other = taken.putIfAbsent(s, code);
            if (other != null) {
                throw new IllegalStateException("providers " + other + " and " + code + " of merchant " + merchant
                        + " would number their documents alike (series " + s + "): set " + key(code, "series")
                        + " to another number from 10 to 99");
            }
            series.put(code, s);
        }
        return series;
    }

    static int defaultSeries(String provider) {
        CRC32 crc = new CRC32();
        crc.update(provider.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return 10 + (int) (crc.getValue() % 90);
    }

    /** What one provider's registries of one business day settled. */
    private record Day(String provider, LocalDate date, long lines, long settled, long commission) {}

    private List<Day> days(Iterable<String> providers, LocalDate from, LocalDate to) {
        List<String> codes = new ArrayList<>();
        providers.forEach(codes::add);
        if (codes.isEmpty()) {
            return List.of();
        }
        Map<String, Object> p = Map.of("providers", codes, "from", from, "to", to, "currency", CURRENCY);
        List<String> foreign = jdbc.sql("select distinct provider || ' ' || currency from registry_imported_day"
                        + " where provider in (:providers) and business_date between :from and :to"
                        + " and currency <> :currency")
                .params(p)
                .query(String.class)
                .list();
        if (!foreign.isEmpty()) {
            throw new IllegalStateException("a rouble account's statement takes roubles, but registries of the period"
                    + " settle in other currencies: " + foreign);
        }
        return jdbc.sql("select provider, business_date, lines, settled_amount, commission from registry_imported_day"
                        + " where provider in (:providers) and business_date between :from and :to"
                        + " and currency = :currency order by business_date, provider")
                .params(p)
                .query((rs, n) -> new Day(
                        rs.getString("provider"),
                        rs.getObject("business_date", LocalDate.class),
                        rs.getLong("lines"),
                        rs.getLong("settled_amount"),
                        rs.getLong("commission")))
                .list();
    }

    private long settledBefore(Iterable<String> providers, LocalDate from) {
        List<String> codes = new ArrayList<>();
        providers.forEach(codes::add);
        if (codes.isEmpty()) {
            return 0;
        }
        return jdbc.sql("select coalesce(sum(settled_amount), 0) from registry_imported_day"
                        + " where provider in (:providers) and business_date < :from and currency = :currency")
                .params(Map.of("providers", codes, "from", from, "currency", CURRENCY))
                .query(Long.class)
                .single();
    }
}
