package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import org.junit.jupiter.api.Test;

/** What a success is labelled whatever the client's Accept allows besides JSON (axios sends all three). */
class ContentTypeApiTest extends ApiTest {

    @Test
    void aSuccessIsPlainJsonForABrowserLikeAccept() {
        long customer = customer(CustomerType.INDIVIDUAL);

        var read =
                accountant.with("Accept", "application/json, text/plain, */*").get("/api/v1/customers/" + customer);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("Content-Type")).hasValue("application/json");
    }
}
