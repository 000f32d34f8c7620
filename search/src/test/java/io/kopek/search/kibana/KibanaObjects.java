package io.kopek.search.kibana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the tests read of {@code elk/}: the saved objects of {@code kibana/kopek.ndjson}, the index templates' field
 * types, and each Lens chart as the aggregation it stands for (its bucket columns in nesting order, its metric, its
 * filters), taken from the saved object itself so that a wrong field or operation there shows in the figures.
 */
final class KibanaObjects {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path ELK = locateElk();
    static final List<String> ALIASES = List.of(
            "kopek-payments",
            "kopek-refunds",
            "kopek-invoices",
            "kopek-holds",
            "kopek-receipts",
            "kopek-reconciliation-runs",
            "kopek-discrepancies");

    private KibanaObjects() {}

    private static Path locateElk() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("elk/templates"))) {
                return dir.resolve("elk");
            }
        }
        throw new IllegalStateException("no elk/ above " + Path.of("").toAbsolutePath());
    }

    /** Every line of the NDJSON file, parsed (a line that is not JSON fails here). */
    static List<JsonNode> savedObjects() {
        return savedObjects(ELK.resolve("kibana/kopek.ndjson"));
    }

    static List<JsonNode> savedObjects(Path file) {
        try {
            List<JsonNode> objects = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    objects.add(JSON.readTree(line));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template of an alias ({@code elk/templates/<alias>.json}). */
    static JsonNode template(String alias) {
        return JSON.readTree(ELK.resolve("templates/" + alias + ".json").toFile());
    }

    /** Field → mapping type of the alias's template. */
    static Map<String, String> fieldTypes(String alias) {
        Map<String, String> types = new LinkedHashMap<>();
        template(alias)
                .path("template")
                .path("mappings")
                .path("properties")
                .properties()
                .forEach(e -> types.put(e.getKey(), e.getValue().path("type").asString()));
        return types;
    }

    /** A string attribute that holds JSON (Kibana stores panelsJSON, fieldFormatMap... as strings). */
    static JsonNode embedded(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull()
                ? JSON.createObjectNode()
                : JSON.readTree(node.asString());
    }

    static Optional<JsonNode> byId(List<JsonNode> objects, String id) {
        return objects.stream().filter(o -> id.equals(o.path("id").asString())).findFirst();
    }

    /** A Lens column: its id, operation, field (null for a count) and parameters. */
    record Column(String id, String operation, String field, JsonNode params) {

        static Column of(String id, JsonNode column) {
            String field = column.path("sourceField").asString(null);
            return new Column(
                    id,
                    column.path("operationType").asString(),
                    "___records___".equals(field) ? null : field,
                    column.path("params"));
        }
    }

    /**
     * The figure a chart plots: {@code operation} ({@code sum} or {@code count}) of {@code field}, divided by
     * {@code divisor} (a formula such as {@code sum(amount) / 100}; 1 without one).
     */
    record Metric(String columnId, String operation, String field, long divisor) {}

    /** A Lens XY chart as an aggregation over the data view {@code alias}. */
    record Chart(String id, String title, String alias, List<Column> buckets, Metric metric, List<JsonNode> filters) {}

    /** Every Lens object of the file, with its data view's alias resolved through its references. */
    static List<Chart> charts(List<JsonNode> objects) {
        List<Chart> charts = new ArrayList<>();
        for (JsonNode lens : objects) {
            if (!"lens".equals(lens.path("type").asString())) {
                continue;
            }
            JsonNode state = lens.path("attributes").path("state");
            JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
            if (layers.size() != 1) {
                throw new IllegalStateException(
                        lens.path("id").asString() + ": one layer expected, got " + layers.size());
            }
            String layerId = layers.propertyNames().iterator().next();
            JsonNode layer = layers.path(layerId);
            JsonNode columns = layer.path("columns");
            String dataViewId = reference(lens, "indexpattern-datasource-layer-" + layerId);
            String alias = byId(objects, dataViewId)
                    .map(dv -> dv.path("attributes").path("title").asString())
                    .orElseThrow(() ->
                            new IllegalStateException(lens.path("id").asString() + ": no data view " + dataViewId));
            List<Column> buckets = new ArrayList<>();
            for (JsonNode id : layer.path("columnOrder")) {
                JsonNode column = columns.path(id.asString());
                if (column.path("isBucketed").asBoolean()) {
                    buckets.add(Column.of(id.asString(), column));
                }
            }
            String accessor = state.path("visualization")
                    .path("layers")
                    .path(0)
                    .path("accessors")
                    .path(0)
                    .asString();
            List<JsonNode> filters = new ArrayList<>();
            state.path("filters").forEach(filters::add);
            charts.add(new Chart(
                    lens.path("id").asString(),
                    lens.path("attributes").path("title").asString(),
                    alias,
                    buckets,
                    metric(accessor, columns),
                    filters));
        }
        return charts;
    }

    static String reference(JsonNode object, String name) {
        for (JsonNode ref : object.path("references")) {
            if (name.equals(ref.path("name").asString())) {
                return ref.path("id").asString();
            }
        }
        throw new IllegalStateException(object.path("id").asString() + ": no reference " + name);
    }

    /** The metric behind an accessor: a count or sum column, or a formula that divides one by a constant. */
    static Metric metric(String accessor, JsonNode columns) {
        JsonNode column = columns.path(accessor);
        String operation = column.path("operationType").asString();
        if (!"formula".equals(operation)) {
            Column plain = Column.of(accessor, column);
            return new Metric(accessor, plain.operation(), plain.field(), 1);
        }
        JsonNode math = columns.path(column.path("references").path(0).asString());
        JsonNode ast = math.path("params").path("tinymathAst");
        if (!"math".equals(math.path("operationType").asString())
                || !"divide".equals(ast.path("name").asString())
                || ast.path("args").size() != 2
                || !ast.path("args").path(1).isNumber()) {
            throw new IllegalStateException(
                    accessor + ": only a formula <metric> / <constant> is understood: " + column);
        }
        Column inner = Column.of(
                ast.path("args").path(0).asString(),
                columns.path(ast.path("args").path(0).asString()));
        if (!math.path("references").toString().contains(inner.id())) {
            throw new IllegalStateException(accessor + ": the formula's math does not reference " + inner.id());
        }
        return new Metric(
                accessor,
                inner.operation(),
                inner.field(),
                ast.path("args").path(1).asLong());
    }
}
