package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class IdempotencyRetentionTest extends ApiTest {

    @Autowired
    IdempotencyRetention retention;

    @Test
    void keysOlderThanTheRetentionAreForgottenAndCanBeUsedAgain() {
        long customer = customer(CustomerType.COMPANY);
        String path = "/api/v1/customers/" + customer + "/top-ups";
        String body = "{\"amount\":" + ApiClient.money(100) + ",\"reference\":\"PP-R\"}";
        accountant.post(path, body, "old-key");
        accountant.post(path, "{\"amount\":" + ApiClient.money(200) + ",\"reference\":\"PP-R\"}", "recent-key");

        clock.advance(Duration.ofHours(25));
        accountant.post(path, "{\"amount\":" + ApiClient.money(400) + ",\"reference\":\"PP-R\"}", "newest-key");
        int purged = retention.purge();
        var reused =
                accountant.post(path, "{\"amount\":" + ApiClient.money(1000) + ",\"reference\":\"PP-R\"}", "old-key");
        var stillKnown =
                accountant.post(path, "{\"amount\":" + ApiClient.money(400) + ",\"reference\":\"PP-R\"}", "newest-key");

        assertThat(purged).isGreaterThanOrEqualTo(2);
        assertThat(reused.status()).isEqualTo(201);
        assertThat(reused.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(stillKnown.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }
}
