package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document as a client generator reads it: the names and enum values the API's JSON really uses, a
 * summary on every operation, and no API key asked of the providers' callbacks.
 */
class OpenApiDocumentTest extends ApiTest {

    JsonNode document;

    @BeforeEach
    void fetchTheDocument() {
        ApiClient.Response answer = new ApiClient(port, null).get("/v3/api-docs");
        assertThat(answer.status()).isEqualTo(200);
        document = answer.body();
    }

    @Test
    void propertiesAreNamedInSnakeCaseAsTheJsonIs() {
        JsonNode schemas = document.path("components").path("schemas");
        assertThat(schemas.path("Invoice").path("properties").propertyNames())
                .contains("customer_id", "order_ref", "vat_total", "created_at")
                .doesNotContain("customerId", "orderRef");
        assertThat(schemas.path("PlaceOrderRequest").path("properties").propertyNames())
                .contains("customer_id", "order_ref", "due_date")
                .doesNotContain("customerId");
        assertThat(propertyNames(schemas)).isNotEmpty().allMatch(name -> name.matches("[a-z0-9_]+"), "snake_case");
    }

    @Test
    void moneyIsAnAmountInMinorUnitsAndACurrency() {
        JsonNode money = document.path("components").path("schemas").path("Money");
        assertThat(money.path("properties").propertyNames()).containsExactlyInAnyOrder("amount", "currency");
        assertThat(money.path("properties").path("amount").path("type").asString())
                .isEqualTo("integer");
    }

    @Test
    void enumValuesAreTheLowerCaseCodesTheApiWrites() {
        JsonNode invoiceStatus = document.path("components")
                .path("schemas")
                .path("Invoice")
                .path("properties")
                .path("status")
                .path("enum");
        assertThat(invoiceStatus.valueStream().map(JsonNode::asString)).contains("issued", "partially_paid", "paid");
        List<String> values = new ArrayList<>();
        collectEnums(document.path("components"), values);
        assertThat(values).isNotEmpty().allMatch(v -> v.equals(v.toLowerCase(java.util.Locale.ROOT)), "lower case");
    }

    @Test
    void everyOperationHasASummary() {
        List<String> without = new ArrayList<>();
        operations().forEach((name, operation) -> {
            if (operation.path("summary").asString("").isBlank()) {
                without.add(name);
            }
        });
        assertThat(operations()).hasSizeGreaterThan(50);
        assertThat(without).isEmpty();
    }

    @Test
    void theProvidersCallbacksAndSigningInAskForNothingAndEverythingElseForAKeyOrASession() {
        assertThat(document.path("security").toString()).contains("apiKey").contains("session");
        assertThat(document.at("/components/securitySchemes/session/in").asString())
                .isEqualTo("cookie");
        assertThat(document.at("/components/securitySchemes/session/name").asString())
                .isEqualTo("kopek_session");
        operations().forEach((name, operation) -> {
            if (name.endsWith("/api/v1/callbacks/{provider}") || name.equals("POST /api/v1/session")) {
                assertThat(operation.has("security")).as(name).isTrue();
                assertThat(operation.path("security").isEmpty()).as(name).isTrue();
            } else {
                assertThat(operation.path("security").toString())
                        .as(name)
                        .isEqualTo("[{\"apiKey\":[]},{\"session\":[]}]");
            }
        });
    }

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> found = new java.util.TreeMap<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(op -> found.put(
                                op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue())));
        return found;
    }

    /** Every property name declared in any schema, nested ones included. */
    private static List<String> propertyNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        collectPropertyNames(node, names);
        return names;
    }

    private static void collectPropertyNames(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("properties") && e.getValue().isObject()) {
                    into.addAll(e.getValue().propertyNames());
                }
                collectPropertyNames(e.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectPropertyNames(child, into));
        }
    }

    private static void collectEnums(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("enum") && e.getValue().isArray()) {
                    e.getValue().forEach(v -> into.add(v.asString()));
                } else {
                    collectEnums(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectEnums(child, into));
        }
    }
}
