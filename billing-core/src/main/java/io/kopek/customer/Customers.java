package io.kopek.customer;

import io.kopek.errors.KopekException;
import io.kopek.outbox.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class Customers {

    private static final String COLUMNS = "id, type, name, email, phone, inn, language, created_at";

    private final JdbcClient jdbc;
    private final Outbox outbox;

    Customers(JdbcClient jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Transactional
    public Customer create(NewCustomer c) {
        if (c.type() == CustomerType.INDIVIDUAL && c.email() == null && c.phone() == null) {
            // 54-FZ receipts go to the buyer by e-mail or phone.
            throw KopekException.invalid("contact-required", "an individual needs an e-mail or a phone");
        }
        if (c.type() != CustomerType.INDIVIDUAL && c.inn() == null) {
            throw KopekException.invalid("inn-required", "a " + c.type().code() + " needs an INN");
        }
        Customer created = jdbc.sql(
                        "insert into customer (type, name, email, phone, inn, language) values (?, ?, ?, ?, ?, ?)"
                                + " returning " + COLUMNS)
                .params(
                        c.type().code(),
                        c.name(),
                        c.email(),
                        c.phone(),
                        c.inn(),
                        c.language().code())
                .query(Customers::row)
                .single();
        outbox.publish(new CustomerCreated(created.id(), c.type()));
        return created;
    }

    @Transactional(readOnly = true)
    public Optional<Customer> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from customer where id = ?")
                .param(id)
                .query(Customers::row)
                .optional();
    }

    public Customer get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("customer", id));
    }

    @Transactional(readOnly = true)
    public List<Customer> list(long afterId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from customer where id > ? order by id limit ?")
                .params(afterId, limit)
                .query(Customers::row)
                .list();
    }

    private static Customer row(ResultSet rs, int n) throws SQLException {
        return new Customer(
                rs.getLong("id"),
                CustomerType.of(rs.getString("type")),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("inn"),
                Language.of(rs.getString("language")),
                rs.getTimestamp("created_at").toInstant());
    }
}
