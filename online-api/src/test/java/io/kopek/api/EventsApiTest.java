package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every change announces itself through the outbox, in the same transaction: refused changes announce nothing. */
class EventsApiTest extends ApiTest {

    List<JsonNode> eventsOf(String aggregateType, long aggregateId) {
        var finance = as(ApiRole.FINANCE, null);
        List<JsonNode> found = new ArrayList<>();
        String cursor = "";
        do {
            var page = finance.get("/api/v1/events?limit=100&cursor=" + cursor).body();
            page.path("data").forEach(e -> {
                if (e.path("aggregate_type").asString().equals(aggregateType)
                        && e.path("aggregate_id").asString().equals(Long.toString(aggregateId))) {
                    found.add(e);
                }
            });
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asString();
        } while (cursor != null);
        return found;
    }

    @Test
    void anInvoiceAnnouncesItsIssueAndPaymentInOrder() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(250_00), 2);
        accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":" + money(500_00) + ",\"reference\":\"PP-9\"}");

        List<JsonNode> events = eventsOf("invoice", invoice.id());

        assertThat(events).extracting(e -> e.path("type").asString()).containsExactly("invoice.issued", "invoice.paid");
        assertThat(events.getFirst().path("payload").path("total").asLong()).isEqualTo(500_00);
        assertThat(events.getFirst().path("event_id").asString()).hasSize(36);
    }

    @Test
    void aRefusedChangeAnnouncesNothing() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(250_00), 1);

        var refused = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"balance\",\"amount\":" + money(250_00) + "}");

        assertThat(refused.problemType()).isEqualTo("insufficient-funds");
        assertThat(eventsOf("invoice", invoice.id()))
                .extracting(e -> e.path("type").asString())
                .containsExactly("invoice.issued");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice.id() + "/payments")
                        .body()
                        .size())
                .isZero();
    }
}
