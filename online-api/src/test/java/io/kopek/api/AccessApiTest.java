package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may do what: the role matrix, customers confined to their own data, and keys that do not work. */
class AccessApiTest extends ApiTest {

    record Call(String method, String path, Set<ApiRole> allowed) {}

    private static final Set<ApiRole> EVERYONE = EnumSet.allOf(ApiRole.class);
    private static final Set<ApiRole> STAFF = EnumSet.complementOf(EnumSet.of(ApiRole.CUSTOMER));
    private static final Set<ApiRole> BOOKKEEPING = EnumSet.of(ApiRole.ACCOUNTANT, ApiRole.ADMIN);

    /** Ids that do not exist: an allowed role gets 400, 404 or 422, a forbidden one 403, and nothing changes. */
    private static final List<Call> MATRIX = List.of(
            new Call("POST", "/api/v1/merchants", EnumSet.of(ApiRole.ADMIN)),
            new Call("POST", "/api/v1/merchants/999999999/bank-details", EnumSet.of(ApiRole.ADMIN)),
            new Call("POST", "/api/v1/api-keys", EnumSet.of(ApiRole.ADMIN)),
            new Call("GET", "/api/v1/api-keys", EnumSet.of(ApiRole.ADMIN)),
            new Call("POST", "/api/v1/customers", BOOKKEEPING),
            new Call("GET", "/api/v1/customers", STAFF),
            new Call("POST", "/api/v1/customers/999999999/top-ups", BOOKKEEPING),
            new Call("POST", "/api/v1/products", BOOKKEEPING),
            new Call("GET", "/api/v1/products", EVERYONE),
            new Call("POST", "/api/v1/rules", EnumSet.of(ApiRole.FINANCE, ApiRole.ADMIN)),
            new Call("POST", "/api/v1/rules/999999999/close", EnumSet.of(ApiRole.FINANCE, ApiRole.ADMIN)),
            new Call("GET", "/api/v1/rules", STAFF),
            new Call("POST", "/api/v1/orders", EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN)),
            new Call("GET", "/api/v1/invoices", EVERYONE),
            new Call("POST", "/api/v1/invoices/999999999/cancel", BOOKKEEPING),
            new Call(
                    "POST",
                    "/api/v1/invoices/999999999/payments",
                    EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN)),
            new Call("POST", "/api/v1/invoices/999999999/refunds", BOOKKEEPING),
            new Call("POST", "/api/v1/holds", EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.ADMIN)),
            new Call("POST", "/api/v1/holds/999999999/capture", BOOKKEEPING),
            new Call(
                    "POST",
                    "/api/v1/holds/999999999/release",
                    EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.OPERATOR, ApiRole.ADMIN)),
            new Call("GET", "/api/v1/holds", EVERYONE),
            new Call(
                    "GET",
                    "/api/v1/ledger/accounts/bank:RUB/entries",
                    EnumSet.of(ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN)),
            new Call("GET", "/api/v1/events", EnumSet.of(ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN)),
            new Call("POST", "/api/v1/jobs/hold-expiry", EnumSet.of(ApiRole.OPERATOR, ApiRole.ADMIN)),
            new Call(
                    "GET",
                    "/api/v1/receipts/999999999",
                    EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN)),
            new Call(
                    "GET",
                    "/api/v1/receipts?invoice_id=999999999",
                    EnumSet.of(ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN)));

    @Test
    void eachRoleMayDoExactlyWhatTheMatrixSays() {
        long customer = customer(CustomerType.COMPANY);
        for (ApiRole role : ApiRole.values()) {
            ApiClient client = as(role, role == ApiRole.CUSTOMER ? customer : null);
            for (Call call : MATRIX) {
                var response = call.method().equals("GET") ? client.get(call.path()) : client.post(call.path(), "{}");
                boolean allowed = call.allowed().contains(role);
                assertThat(response.status())
                        .as("%s %s as %s: %s", call.method(), call.path(), role, response)
                        .satisfies(status -> {
                            if (allowed) {
                                assertThat(status).isNotIn(401, 403);
                            } else {
                                assertThat(status).isEqualTo(403);
                            }
                        });
            }
        }
    }

    @Test
    void aCustomerSeesItsOwnInvoicesAndNoOneElses() {
        rule(0, false, 0);
        long product = product(100_00);
        long mine = customer(CustomerType.INDIVIDUAL);
        long theirs = customer(CustomerType.INDIVIDUAL);
        var myInvoice = order(accountant, mine, product, 1);
        var theirInvoice = order(accountant, theirs, product, 1);
        var me = as(ApiRole.CUSTOMER, mine);

        assertThat(me.get("/api/v1/invoices/" + myInvoice.id()).status()).isEqualTo(200);
        var foreign = me.get("/api/v1/invoices/" + theirInvoice.id());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().toString())
                .doesNotContain(theirInvoice.body().path("number").asString());
        assertThat(me.get("/api/v1/invoices/999999999").status()).isEqualTo(404);
        assertThat(me.get("/api/v1/customers/" + theirs).status()).isEqualTo(404);
        assertThat(me.get("/api/v1/customers/" + theirs + "/balances").status()).isEqualTo(404);
        assertThat(me.get("/api/v1/invoices/" + theirInvoice.id() + "/payments").status())
                .isEqualTo(404);
        var listed = me.get("/api/v1/invoices?customer_id=" + theirs + "&limit=100")
                .body()
                .path("data");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).path("customer_id").asLong()).isEqualTo(mine);
        var hold = me.post("/api/v1/holds", "{\"invoice_id\":" + theirInvoice.id() + "}");
        assertThat(hold.status()).isEqualTo(404);
    }

    @Test
    void aCustomerOrdersForItselfWhateverCustomerItNames() {
        rule(0, false, 0);
        long product = product(100_00);
        long mine = customer(CustomerType.INDIVIDUAL);
        long theirs = customer(CustomerType.INDIVIDUAL);

        var placed = order(as(ApiRole.CUSTOMER, mine), theirs, product, 1);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.body().path("customer_id").asLong()).isEqualTo(mine);
    }

    @Test
    void requestsWithoutAWorkingKeyAreUnauthenticated() {
        var none = new ApiClient(port, null).get("/api/v1/invoices");
        var garbage = new ApiClient(port, "not-a-key").get("/api/v1/invoices");
        var unknown = new ApiClient(port, "kpk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/api/v1/invoices");
        IssuedApiKey issued = keys.issue(ApiRole.FINANCE, null, "to revoke");
        var revoke = admin.post("/api/v1/api-keys/" + issued.id() + "/revoke", "{}");
        var revoked = client(issued).get("/api/v1/invoices");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.problemType()).isEqualTo("unauthenticated");
        assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(garbage.problemType()).isEqualTo("invalid-api-key");
        assertThat(unknown.problemType()).isEqualTo("invalid-api-key");
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(revoked.status()).isEqualTo(401);
    }

    @Test
    void anAdminIssuesKeysThatAreShownOnceAndStoredHashed() {
        long customer = customer(CustomerType.INDIVIDUAL);

        var issued = admin.post(
                "/api/v1/api-keys", "{\"role\":\"customer\",\"customer_id\":" + customer + ",\"name\":\"shop\"}");
        var unbound = admin.post("/api/v1/api-keys", "{\"role\":\"customer\",\"name\":\"nobody\"}");
        var listed = admin.get("/api/v1/api-keys");

        String key = issued.body().path("key").asString();
        assertThat(key).matches("kpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(new ApiClient(port, key).get("/api/v1/customers/" + customer).status())
                .isEqualTo(200);
        assertThat(unbound.problemType()).isEqualTo("invalid-api-key");
        assertThat(listed.body().toString()).doesNotContain(key.substring(18));
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        var docs = new ApiClient(port, null).get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/v1/orders")).isTrue();
        assertThat(docs.body().path("paths").has("/api/v1/holds/{id}/capture")).isTrue();
        assertThat(new ApiClient(port, null).get("/swagger-ui/index.html").raw().statusCode())
                .isEqualTo(200);
    }
}
