package io.kopek.search.kibana;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Until the indexer (io.kopek.search) is merged: documents of the templates' shape read from the owners' published
 * views and written with _bulk into an index of the test's own behind each alias. Times are ISO instants; a business
 * date is the day in Europe/Moscow, as the templates say.
 */
final class ViewLoader {

    static final Map<String, String> VIEWS = Map.of(
            "kopek-payments",
            """
            select p.payment_id as id, p.payment_id, p.invoice_id, h.number as invoice_number, h.merchant_id,
                   h.merchant_code, p.customer_id, p.purpose, p.method, p.provider, p.amount,
                   p.refunded_amount as refunded, p.currency, p.created_at,
                   (p.created_at at time zone 'Europe/Moscow')::date as business_date
            from billing_payment p left join billing_invoice_header h on h.invoice_id = p.invoice_id""",
            "kopek-refunds",
            """
            select r.refund_id as id, r.refund_id, r.invoice_id, h.number as invoice_number, h.merchant_id,
                   h.merchant_code, p.customer_id, r.payment_id, p.method, p.provider, r.amount, r.currency,
                   r.reason, r.created_at, (r.created_at at time zone 'Europe/Moscow')::date as business_date
            from billing_refund r join billing_payment p on p.payment_id = r.payment_id
            left join billing_invoice_header h on h.invoice_id = r.invoice_id""",
            "kopek-invoices",
            """
            select h.invoice_id as id, h.invoice_id, h.number, h.merchant_id, h.merchant_code, h.customer_id, h.status,
                   h.issue_date, h.due_date, h.total, coalesce(p.paid, 0) as paid, coalesce(f.refunded, 0) as refunded,
                   greatest(h.total - coalesce(p.paid, 0) + coalesce(f.refunded, 0), 0) as outstanding, h.currency,
                   h.created_at
            from billing_invoice_header h
            left join (select invoice_id, sum(amount) as paid from billing_payment group by invoice_id) p
                   on p.invoice_id = h.invoice_id
            left join (select invoice_id, sum(amount) as refunded from billing_refund group by invoice_id) f
                   on f.invoice_id = h.invoice_id""",
            "kopek-holds",
            """
            select h.hold_id as id, h.hold_id, h.invoice_id, i.merchant_id, i.merchant_code, h.customer_id, h.source,
                   h.provider, h.status, h.amount, h.captured_amount as captured, h.currency, h.expires_at,
                   h.created_at, h.resolved_at
            from billing_hold h left join billing_invoice_header i on i.invoice_id = h.invoice_id""",
            "kopek-receipts",
            """
            select r.receipt_id as id, r.receipt_id, r.kind, r.state, r.invoice_id, r.payment_id, r.refund_id,
                   r.customer_id, r.total, r.currency, r.exemption, r.fn_number, r.fiscal_document_number,
                   r.fiscal_receipt_number, r.created_at, r.done_at,
                   (r.created_at at time zone 'Europe/Moscow')::date as business_date
            from fiscal_receipt r""",
            "kopek-discrepancies",
            """
            select d.discrepancy_id as id, d.discrepancy_id, d.last_run_id as run_id, d.provider, d.business_date,
                   d.result, d.amount, d.currency, d.status = 'resolved' as resolved, d.resolution, d.resolved_by,
                   d.resolved_at, d.created_at
            from reconciliation_discrepancy d""");

    private final JdbcClient jdbc;
    private final URI engine;
    private final HttpClient http = HttpClient.newHttpClient();

    ViewLoader(JdbcClient jdbc, URI engine) {
        this.jdbc = jdbc;
        this.engine = engine;
    }

    /** Puts every template, and for each alias an index {@code <alias>-<suffix>} behind it. */
    void prepare(String suffix) {
        for (String alias : KibanaObjects.ALIASES) {
            send(
                    "PUT",
                    "/_index_template/" + alias,
                    KibanaObjects.template(alias).toString());
            send("PUT", "/" + alias + "-" + suffix, "{\"aliases\":{\"" + alias + "\":{}}}");
        }
    }

    /** Every row of each view as a document of its alias's index; refreshed, so a search sees them. */
    void load(String suffix) {
        VIEWS.forEach((alias, sql) -> {
            StringBuilder bulk = new StringBuilder();
            List<Map<String, Object>> rows = jdbc.sql(sql).query().listOfRows();
            for (Map<String, Object> row : rows) {
                var doc = KibanaObjects.JSON.createObjectNode();
                row.forEach((column, value) -> {
                    if (value != null && !column.equals("id")) {
                        doc.putPOJO(
                                column,
                                value instanceof java.sql.Timestamp t
                                        ? t.toInstant().toString()
                                        : value.toString());
                    }
                });
                bulk.append("{\"index\":{\"_index\":\"")
                        .append(alias)
                        .append('-')
                        .append(suffix)
                        .append("\",\"_id\":\"")
                        .append(row.get("id"))
                        .append("\"}}\n")
                        .append(doc)
                        .append('\n');
            }
            if (!rows.isEmpty()) {
                JsonNode answer = send("POST", "/_bulk?refresh=true", bulk.toString());
                if (answer.path("errors").asBoolean()) {
                    throw new IllegalStateException(alias + ": bulk refused documents: " + answer);
                }
            }
        });
    }

    JsonNode send(String method, String path, String body) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(engine.resolve(path))
                            .header(
                                    "Content-Type",
                                    path.startsWith("/_bulk") ? "application/x-ndjson" : "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return KibanaObjects.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
