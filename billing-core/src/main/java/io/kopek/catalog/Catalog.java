package io.kopek.catalog;

import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Merchants and their products. */
@Service
public class Catalog {

    private static final String PRODUCT_COLUMNS = "id, merchant_id, sku, name, category, unit_price, currency, measure";

    private final JdbcClient jdbc;

    Catalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public Merchant createMerchant(String code, String name, String inn) {
        try {
            return jdbc.sql("insert into merchant (code, name, inn) values (?, ?, ?) returning id, code, name, inn")
                    .params(code, name, inn)
                    .query(Catalog::merchant)
                    .single();
        } catch (DuplicateKeyException e) {
            throw KopekException.conflict("merchant-exists", "merchant " + code + " already exists");
        }
    }

    @Transactional(readOnly = true)
    public Optional<Merchant> merchant(long id) {
        return jdbc.sql("select id, code, name, inn from merchant where id = ?")
                .param(id)
                .query(Catalog::merchant)
                .optional();
    }

    @Transactional(readOnly = true)
    public List<Merchant> merchants() {
        return jdbc.sql("select id, code, name, inn from merchant order by id")
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
        return new Merchant(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("inn"));
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
