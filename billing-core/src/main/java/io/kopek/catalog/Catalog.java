package io.kopek.catalog;

import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Merchants and their products. */
@Service
public class Catalog {

    private static final String MERCHANT_COLUMNS =
            "id, code, name, inn, legal_name, kpp, settlement_account," + " bank_name, bik, correspondent_account";
    private static final String PRODUCT_COLUMNS = "id, merchant_id, sku, name, category, unit_price, currency, measure";

    private final JdbcClient jdbc;

    Catalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A merchant without bank details. */
    @Transactional
    public Merchant createMerchant(String code, String name, String inn) {
        return createMerchant(new NewMerchant(code, name, inn, null));
    }

    /**
     * Creates a merchant; its ИНН and bank details, when given, are checked first ({@link Requisites#check}), and
     * refused as {@code invalid-requisites} naming each wrong field.
     */
    @Transactional
    public Merchant createMerchant(NewMerchant m) {
        List<Requisites.Violation> violations = Requisites.check(m.inn(), m.bankDetails());
        if (!violations.isEmpty()) {
            throw KopekException.invalid(
                    "invalid-requisites",
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
        }
        BankDetails b = m.bankDetails() == null ? new BankDetails(null, null, null, null, null, null) : m.bankDetails();
        try {
            return jdbc.sql(
                            "insert into merchant (code, name, inn, legal_name, kpp, settlement_account, bank_name, bik,"
                                    + " correspondent_account) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning "
                                    + MERCHANT_COLUMNS)
                    .params(
                            m.code(),
                            m.name(),
                            m.inn(),
                            b.legalName(),
                            b.kpp(),
                            b.settlementAccount(),
                            b.bankName(),
                            b.bik(),
                            b.correspondentAccount())
                    .query(Catalog::merchant)
                    .single();
        } catch (DuplicateKeyException e) {
            throw KopekException.conflict("merchant-exists", "merchant " + m.code() + " already exists");
        }
    }

    /**
     * Gives a merchant (one made before merchants had them, or one whose account changed) its ИНН and bank details,
     * checked as on creation.
     */
    @Transactional
    public Merchant setBankDetails(long merchantId, String inn, BankDetails details) {
        if (details == null) {
            throw KopekException.invalid("invalid-requisites", "bankDetails: must be given");
        }
        requireValid(inn, details);
        return jdbc.sql("update merchant set inn = ?, legal_name = ?, kpp = ?, settlement_account = ?, bank_name = ?,"
                        + " bik = ?, correspondent_account = ? where id = ? returning " + MERCHANT_COLUMNS)
                .params(
                        inn,
                        details.legalName(),
                        details.kpp(),
                        details.settlementAccount(),
                        details.bankName(),
                        details.bik(),
                        details.correspondentAccount(),
                        merchantId)
                .query(Catalog::merchant)
                .optional()
                .orElseThrow(() -> KopekException.notFound("merchant", merchantId));
    }

    private static void requireValid(String inn, BankDetails details) {
        List<Requisites.Violation> violations = Requisites.check(inn, details);
        if (!violations.isEmpty()) {
            throw KopekException.invalid(
                    "invalid-requisites",
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
        }
    }

    @Transactional(readOnly = true)
    public Optional<Merchant> merchant(long id) {
        return jdbc.sql("select " + MERCHANT_COLUMNS + " from merchant where id = ?")
                .param(id)
                .query(Catalog::merchant)
                .optional();
    }

    /** The merchant of a code ({@code DEMO}), as reports and invoice numbers name it. */
    @Transactional(readOnly = true)
    public Optional<Merchant> merchantByCode(String code) {
        return jdbc.sql("select " + MERCHANT_COLUMNS + " from merchant where code = ?")
                .param(code)
                .query(Catalog::merchant)
                .optional();
    }

    @Transactional(readOnly = true)
    public List<Merchant> merchants() {
        return jdbc.sql("select " + MERCHANT_COLUMNS + " from merchant order by id")
                .query(Catalog::merchant)
                .list();
    }

    @Transactional
    public Product createProduct(NewProduct p) {
        merchant(p.merchantId()).orElseThrow(() -> KopekException.notFound("merchant", p.merchantId()));
        if (p.unitPrice().isNegative()) {
            throw KopekException.invalid("negative-price", "a price cannot be negative");
        }
        try {
            return jdbc.sql("insert into product (merchant_id, sku, name, category, unit_price, currency, measure)"
                            + " values (?, ?, ?, ?, ?, ?, ?) returning " + PRODUCT_COLUMNS)
                    .params(
                            p.merchantId(),
                            p.sku(),
                            p.name(),
                            p.category(),
                            p.unitPrice().minor(),
                            p.unitPrice().currency().getCurrencyCode(),
                            p.measure() == null ? "piece" : p.measure())
                    .query(Catalog::product)
                    .single();
        } catch (DuplicateKeyException e) {
            throw KopekException.conflict("product-exists", "product " + p.sku() + " already exists for this merchant");
        }
    }

    @Transactional(readOnly = true)
    public Optional<Product> product(long id) {
        return jdbc.sql("select " + PRODUCT_COLUMNS + " from product where id = ?")
                .param(id)
                .query(Catalog::product)
                .optional();
    }

    @Transactional(readOnly = true)
    public List<Product> products(long afterId, int limit) {
        return jdbc.sql("select " + PRODUCT_COLUMNS + " from product where id > ? order by id limit ?")
                .params(afterId, limit)
                .query(Catalog::product)
                .list();
    }

    private static Merchant merchant(ResultSet rs, int n) throws SQLException {
        String account = rs.getString("settlement_account");
        BankDetails bankDetails = account == null
                ? null
                : new BankDetails(
                        rs.getString("legal_name"),
                        rs.getString("kpp"),
                        account,
                        rs.getString("bank_name"),
                        rs.getString("bik"),
                        rs.getString("correspondent_account"));
        return new Merchant(
                rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("inn"), bankDetails);
    }

    private static Product product(ResultSet rs, int n) throws SQLException {
        return new Product(
                rs.getLong("id"),
                rs.getLong("merchant_id"),
                rs.getString("sku"),
                rs.getString("name"),
                rs.getString("category"),
                new Money(rs.getLong("unit_price"), Currency.getInstance(rs.getString("currency"))),
                rs.getString("measure"));
    }
}
