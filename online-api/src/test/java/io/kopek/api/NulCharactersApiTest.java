package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import org.junit.jupiter.api.Test;

/** A NUL character anywhere a request carries text is a 400 naming where it was, and nothing is stored. */
class NulCharactersApiTest extends ApiTest {

    @Test
    void aNulInAQueryParameterIsRefusedNamingTheParameter() {
        var response = accountant.get("/api/v1/invoices?status=a%00b");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("nul-character");
        assertThat(response.body().path("detail").asString()).contains("'status'");
    }

    @Test
    void aNulInAJsonFieldIsRefusedNamingTheFieldAndNothingIsStored() {
        rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);

        var response = accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"order_ref\":\"A\\u0000B\",\"items\":[{\"product_id\":" + product
                        + ",\"quantity\":1}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("nul-character");
        assertThat(response.body().path("detail").asString()).contains("'order_ref'");
        assertThat(accountant
                        .get("/api/v1/invoices?customer_id=" + customer)
                        .body()
                        .path("data")
                        .size())
                .isZero();
    }

    @Test
    void aNulInAnotherEndpointsJsonIsRefusedToo() {
        var response = admin.post("/api/v1/merchants", "{\"code\":\"NUL1\",\"name\":\"Bad\\u0000Name\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("nul-character");
        assertThat(response.body().path("detail").asString()).contains("'name'");
    }
}
