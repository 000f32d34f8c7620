package io.kopek.pricing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Billing rules and VAT rates, both effective-dated. */
@Service
public class Pricing {

    static final Set<String> METHODS = Set.of("balance", "bank_transfer", "card");
    static final Set<String> CUSTOMER_TYPES = Set.of("*", "individual", "sole_proprietor", "company");
    private static final String COLUMNS = "id, category, customer_type, valid_from, valid_to, price_adjustment_bp,"
            + " commission_bp, commission_fixed, vat_code, hold_first, hold_lifetime_seconds, payment_methods,"
            + " providers, credit_limit";

    private final JdbcClient jdbc;
    private final BusinessCalendar calendar;

    Pricing(JdbcClient jdbc, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.calendar = calendar;
    }

    /** The VAT rate of {@code code} in force on {@code date}. */
    @Transactional(readOnly = true)
    public VatRate vatRate(String code, LocalDate date) {
        return jdbc.sql("select rate_bp from vat_rate where code = ? and valid_from <= ?"
                        + " and (valid_to is null or valid_to >= ?)")
                .params(code, Date.valueOf(date), Date.valueOf(date))
                .query(Integer.class)
                .optional()
                .map(bp -> new VatRate(code, bp))
                .orElseThrow(() -> KopekException.invalid(
                        "unknown-vat-rate", "no VAT rate '" + code + "' is in force on " + date));
    }

    /**
     * Adds a rule. Rules for the same category and customer type may not overlap in time; to change a rule,
     * close the current one with {@link #close} and add the new one from the next day.
     */
    @Transactional
    public BillingRule create(NewBillingRule r) {
        validate(r);
        // Serialise rule changes for this key, so two overlapping rules cannot both pass the check.
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                .param("billing_rule:" + r.category() + ":" + r.customerType())
                .query()
                .singleRow();
        Optional<Long> overlapping = jdbc.sql("select id from billing_rule where category = ? and customer_type = ?"
                        + " and valid_from <= coalesce(?, 'infinity'::date)"
                        + " and coalesce(valid_to, 'infinity'::date) >= ? limit 1")
                .params(r.category(), r.customerType(), date(r.validTo()), Date.valueOf(r.validFrom()))
                .query(Long.class)
                .optional();
        if (overlapping.isPresent()) {
            throw KopekException.conflict(
                    "rule-overlap",
                    "rule " + overlapping.get() + " for " + r.category() + "/" + r.customerType()
                            + " already covers part of that period; close it first");
        }
        return jdbc.sql("insert into billing_rule (category, customer_type, valid_from, valid_to, price_adjustment_bp,"
                        + " commission_bp, commission_fixed, vat_code, hold_first, hold_lifetime_seconds,"
                        + " payment_methods, providers, credit_limit)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?) returning " + COLUMNS)
                .params(
                        r.category(),
                        r.customerType(),
                        Date.valueOf(r.validFrom()),
                        date(r.validTo()),
                        r.priceAdjustmentBp(),
                        r.commissionBp(),
                        r.commissionFixed(),
                        r.vatCode(),
                        r.holdFirst(),
                        r.holdLifetimeSeconds(),
                        arrayLiteral(r.paymentMethods()),
                        arrayLiteral(r.providers()),
                        r.creditLimit())
                .query(Pricing::rule)
                .single();
    }

    /**
     * Ends a rule on {@code lastDay}, today at the earliest: invoices it priced keep pointing at it, and no
     * invoice is left priced by a rule that was not in force on its date.
     */
    @Transactional
    public BillingRule close(long id, LocalDate lastDay) {
        BillingRule rule = rule(id).orElseThrow(() -> KopekException.notFound("billing rule", id));
        if (lastDay.isBefore(calendar.today())) {
            throw KopekException.invalid(
                    "invalid-period",
                    "a rule cannot be ended in the past; the earliest last day is " + calendar.today());
        }
        if (lastDay.isBefore(rule.validFrom())) {
            throw KopekException.invalid(
                    "invalid-period", "a rule cannot end before it starts (" + rule.validFrom() + ")");
        }
        if (rule.validTo() != null && lastDay.isAfter(rule.validTo())) {
            throw KopekException.invalid("invalid-period", "a rule can only be shortened, it ends " + rule.validTo());
        }
        return jdbc.sql("update billing_rule set valid_to = ? where id = ? returning " + COLUMNS)
                .params(Date.valueOf(lastDay), id)
                .query(Pricing::rule)
                .single();
    }

    @Transactional(readOnly = true)
    public Optional<BillingRule> rule(long id) {
        return jdbc.sql("select " + COLUMNS + " from billing_rule where id = ?")
                .param(id)
                .query(Pricing::rule)
                .optional();
    }

    @Transactional(readOnly = true)
    public List<BillingRule> rules(long afterId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from billing_rule where id > ? order by id limit ?")
                .params(afterId, limit)
                .query(Pricing::rule)
                .list();
    }

    /** The rule for a category and customer type on a date; an exact customer type beats {@code *}. */
    @Transactional(readOnly = true)
    public BillingRule ruleFor(String category, String customerType, LocalDate date) {
        return jdbc.sql("select " + COLUMNS + " from billing_rule where category = ? and customer_type in (?, '*')"
                        + " and valid_from <= ? and (valid_to is null or valid_to >= ?)"
                        + " order by customer_type = '*' limit 1")
                .params(category, customerType, Date.valueOf(date), Date.valueOf(date))
                .query(Pricing::rule)
                .optional()
                .orElseThrow(() -> KopekException.invalid(
                        "no-billing-rule",
                        "no billing rule for category '" + category + "' and customer type '" + customerType + "' on "
                                + date));
    }

    private void validate(NewBillingRule r) {
        if (!CUSTOMER_TYPES.contains(r.customerType())) {
            throw KopekException.invalid("invalid-rule", "unknown customer type " + r.customerType());
        }
        if (r.validTo() != null && r.validTo().isBefore(r.validFrom())) {
            throw KopekException.invalid("invalid-period", "valid_to is before valid_from");
        }
        if (r.paymentMethods() == null || r.paymentMethods().isEmpty()) {
            throw KopekException.invalid("invalid-rule", "a rule needs at least one payment method");
        }
        for (String m : r.paymentMethods()) {
            if (!METHODS.contains(m)) {
                throw KopekException.invalid("invalid-rule", "unknown payment method " + m + "; known: " + METHODS);
            }
        }
        if (r.holdFirst() && (r.holdLifetimeSeconds() == null || r.holdLifetimeSeconds() <= 0)) {
            throw KopekException.invalid("invalid-rule", "a rule that holds first needs a hold lifetime");
        }
        if (r.priceAdjustmentBp() <= -10_000) {
            throw KopekException.invalid("invalid-rule", "a discount must be below 100 %");
        }
        vatRate(r.vatCode(), r.validFrom());
    }

    private static Date date(LocalDate d) {
        return d == null ? null : Date.valueOf(d);
    }

    private static String arrayLiteral(List<String> values) {
        return values == null || values.isEmpty() ? "{}" : "{" + String.join(",", values) + "}";
    }

    private static BillingRule rule(ResultSet rs, int n) throws SQLException {
        Date to = rs.getDate("valid_to");
        return new BillingRule(
                rs.getLong("id"),
                rs.getString("category"),
                rs.getString("customer_type"),
                rs.getDate("valid_from").toLocalDate(),
                to == null ? null : to.toLocalDate(),
                rs.getInt("price_adjustment_bp"),
                rs.getInt("commission_bp"),
                rs.getLong("commission_fixed"),
                rs.getString("vat_code"),
                rs.getBoolean("hold_first"),
                (Integer) rs.getObject("hold_lifetime_seconds"),
                strings(rs.getArray("payment_methods")),
                strings(rs.getArray("providers")),
                rs.getLong("credit_limit"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
