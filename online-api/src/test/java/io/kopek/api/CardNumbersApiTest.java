package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A card number in a free-text field (an order's reference, a customer's name) would be stored verbatim, in the
 * field and in the request's idempotency record: it is refused with a 422 naming the field, and nothing is stored.
 */
class CardNumbersApiTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    long idempotencyRecords(String key) {
        return jdbc.sql("select count(*) from idempotency_record where key = ?")
                .param(key)
                .query(Long.class)
                .single();
    }

    @Test
    void aCardNumberInAnOrderReferenceIsRefusedNamingTheFieldAndNothingIsStored() {
        rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);
        String key = UUID.randomUUID().toString();

        var response = accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"order_ref\":\"paid by 4276.3800.1234.5679\",\"items\":"
                        + "[{\"product_id\":" + product + ",\"quantity\":1}]}",
                key);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.problemType()).isEqualTo("card-number");
        assertThat(response.raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body().path("detail").asString())
                .contains("'order_ref'")
                .doesNotContain("4276");
        assertThat(accountant
                        .get("/api/v1/invoices?customer_id=" + customer)
                        .body()
                        .path("data")
                        .size())
                .isZero();
        assertThat(idempotencyRecords(key)).isZero();
    }

    @Test
    void aCardNumberInACustomersNameIsRefusedInEveryShape() {
        String[] names = {"card4276380012345679", "Ivan 4276_3800_1234_5679", "3782 822463 10005 Co"};
        for (String name : names) {
            String key = UUID.randomUUID().toString();

            var response =
                    accountant.post("/api/v1/customers", "{\"type\":\"individual\",\"name\":\"" + name + "\"}", key);

            assertThat(response.status()).as(name).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("card-number");
            assertThat(response.body().path("detail").asString()).contains("'name'");
            assertThat(idempotencyRecords(key)).isZero();
        }
        assertThat(jdbc.sql("select count(*) from customer where name = any(?)")
                        .param(names)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void numbersThatAreNotCardNumbersAreAccepted() {
        var response = accountant.post(
                "/api/v1/customers",
                "{\"type\":\"individual\",\"name\":\"Order 2026-11-24 No. 4276.3800.1234.5678\",\"email\":\"buyer@example.ru\"}");

        assertThat(response.status()).as(response.body().toString()).isEqualTo(201);
    }
}
