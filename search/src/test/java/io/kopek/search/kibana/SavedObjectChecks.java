package io.kopek.search.kibana;

import static io.kopek.search.kibana.KibanaObjects.ALIASES;
import static io.kopek.search.kibana.KibanaObjects.embedded;
import static io.kopek.search.kibana.KibanaObjects.fieldTypes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The problems of a set of saved objects against Kopek's index templates: what Kibana would import but show broken
 * (a reference to nothing, a data view of no alias, a field the template does not have, an aggregation on a field
 * of the wrong type). Empty when all is well.
 */
final class SavedObjectChecks {

    /** Which mapping types each Lens operation may run on. */
    static final Map<String, Set<String>> OPERATION_TYPES = Map.of(
            "sum", Set.of("long"),
            "average", Set.of("long"),
            "min", Set.of("long", "date"),
            "max", Set.of("long", "date"),
            "terms", Set.of("keyword"),
            "date_histogram", Set.of("date"));

    private SavedObjectChecks() {}

    static List<String> problems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, String> typeOfId = new HashMap<>();
        for (JsonNode o : objects) {
            String id = o.path("id").asString("");
            String type = o.path("type").asString("");
            if (!Set.of("index-pattern", "lens", "dashboard").contains(type)) {
                problems.add(id + ": unexpected type '" + type + "'");
            }
            if (!id.startsWith("kopek-")) {
                problems.add("'" + id + "': not a fixed kopek-... id");
            }
            if (!o.path("attributes").isObject()
                    || !o.path("attributes").path("title").isString()) {
                problems.add(id + ": no attributes with a title");
            }
            if (!o.path("coreMigrationVersion").isString()
                    && !o.path("typeMigrationVersion").isString()) {
                problems.add(id + ": no migration version");
            }
            if (typeOfId.put(id, type) != null) {
                problems.add(id + ": twice in the file");
            }
        }
        for (JsonNode o : objects) {
            String id = o.path("id").asString();
            Set<String> names = new HashSet<>();
            for (JsonNode ref : o.path("references")) {
                String target = ref.path("id").asString();
                if (!ref.path("type").asString().equals(typeOfId.get(target))) {
                    problems.add(id + ": reference " + ref.path("name").asString() + " to "
                            + ref.path("type").asString() + " " + target + ", which the file does not have");
                }
                if (!names.add(ref.path("name").asString())) {
                    problems.add(id + ": reference name " + ref.path("name").asString() + " twice");
                }
            }
            switch (o.path("type").asString()) {
                case "index-pattern" -> dataView(o, problems);
                case "lens" -> lens(o, objects, problems);
                case "dashboard" -> dashboard(o, names, problems);
                default -> {}
            }
        }
        return problems;
    }

    private static void dataView(JsonNode o, List<String> problems) {
        String id = o.path("id").asString();
        JsonNode a = o.path("attributes");
        String alias = a.path("title").asString();
        if (!ALIASES.contains(alias)) {
            problems.add(id + ": data view of '" + alias + "', which is none of Kopek's aliases");
            return;
        }
        Map<String, String> fields = fieldTypes(alias);
        String time = a.path("timeFieldName").asString();
        if (!"date".equals(fields.get(time))) {
            problems.add(id + ": time field '" + time + "' is not a date of " + alias + " (" + fields.get(time) + ")");
        }
        for (String attribute : List.of("fieldFormatMap", "fieldAttrs")) {
            for (String field : embedded(a.path(attribute)).propertyNames()) {
                if (!fields.containsKey(field)) {
                    problems.add(id + ": " + attribute + " names '" + field + "', not a field of " + alias);
                }
            }
        }
    }

    private static void lens(JsonNode o, List<JsonNode> objects, List<String> problems) {
        String id = o.path("id").asString();
        KibanaObjects.Chart chart;
        try {
            chart = KibanaObjects.charts(List.of(o, dataViewOf(o, objects))).getFirst();
        } catch (RuntimeException e) {
            problems.add(id + ": " + e.getMessage());
            return;
        }
        if (!ALIASES.contains(chart.alias())) {
            problems.add(id + ": on '" + chart.alias() + "', none of Kopek's aliases");
            return;
        }
        Map<String, String> fields = fieldTypes(chart.alias());
        JsonNode layer = o.path("attributes")
                .path("state")
                .path("datasourceStates")
                .path("formBased")
                .path("layers")
                .properties()
                .iterator()
                .next()
                .getValue();
        JsonNode columns = layer.path("columns");
        Set<String> order = new HashSet<>();
        layer.path("columnOrder").forEach(c -> order.add(c.asString()));
        if (!order.equals(new HashSet<>(columns.propertyNames()))) {
            problems.add(id + ": columnOrder " + order + " is not the columns " + columns.propertyNames());
        }
        for (var entry : columns.properties()) {
            KibanaObjects.Column column = KibanaObjects.Column.of(entry.getKey(), entry.getValue());
            Set<String> allowed = OPERATION_TYPES.get(column.operation());
            if (allowed != null && !allowed.contains(fields.getOrDefault(String.valueOf(column.field()), "null"))) {
                problems.add(id + ": " + column.operation() + " on '" + column.field() + "', a "
                        + fields.get(column.field()) + " of " + chart.alias());
            }
            String orderBy = column.params().path("orderBy").path("columnId").asString(null);
            if (orderBy != null && !columns.has(orderBy)) {
                problems.add(id + ": " + entry.getKey() + " is ordered by the missing column " + orderBy);
            }
        }
        JsonNode layerView = o.path("attributes")
                .path("state")
                .path("visualization")
                .path("layers")
                .path(0);
        List<String> accessors = new ArrayList<>();
        layerView.path("accessors").forEach(a -> accessors.add(a.asString()));
        for (String accessor : List.of("xAccessor", "splitAccessor")) {
            if (layerView.has(accessor)) {
                accessors.add(layerView.path(accessor).asString());
            }
        }
        for (String accessor : accessors) {
            if (!columns.has(accessor)) {
                problems.add(id + ": the chart shows the missing column " + accessor);
            }
        }
        if (chart.metric().field() != null
                && !"long".equals(fields.get(chart.metric().field()))) {
            problems.add(id + ": the metric sums '" + chart.metric().field() + "', not a long of " + chart.alias());
        }
        for (JsonNode filter : chart.filters()) {
            String key = filter.path("meta").path("key").asString();
            if (!"keyword".equals(fields.get(key))) {
                problems.add(id + ": filter on '" + key + "', not a keyword of " + chart.alias());
            }
            for (String field : queriedFields(filter.path("query"))) {
                if (!fields.containsKey(field)) {
                    problems.add(id + ": filter queries '" + field + "', not a field of " + chart.alias());
                }
            }
            String ref = filter.path("meta").path("indexRefName").asString("");
            if (o.path("references").findValues("name").stream().noneMatch(n -> ref.equals(n.asString()))) {
                problems.add(id + ": filter's data view reference '" + ref + "' is missing");
            }
        }
    }

    private static JsonNode dataViewOf(JsonNode lens, List<JsonNode> objects) {
        for (JsonNode ref : lens.path("references")) {
            if (ref.path("name").asString().startsWith("indexpattern-datasource-layer-")) {
                return KibanaObjects.byId(objects, ref.path("id").asString())
                        .orElseThrow(() -> new IllegalStateException(
                                "no data view " + ref.path("id").asString()));
            }
        }
        throw new IllegalStateException("no data view reference");
    }

    /** The fields a filter's Elasticsearch query names (under match_phrase, term, terms, range, exists). */
    static Set<String> queriedFields(JsonNode query) {
        Set<String> fields = new HashSet<>();
        for (String clause : List.of("match_phrase", "match", "term", "terms", "range")) {
            for (JsonNode found : query.findValues(clause)) {
                fields.addAll(found.propertyNames());
            }
        }
        query.findValues("exists").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    private static void dashboard(JsonNode o, Set<String> referenceNames, List<String> problems) {
        String id = o.path("id").asString();
        if (!o.path("attributes").path("title").asString().startsWith("Kopek – ")) {
            problems.add(id + ": its title does not start with 'Kopek – ', where finance looks for it");
        }
        JsonNode panels = embedded(o.path("attributes").path("panelsJSON"));
        if (panels.isEmpty()) {
            problems.add(id + ": no panels");
        }
        for (JsonNode panel : panels) {
            String name = panel.path("panelIndex").asString() + ":"
                    + panel.path("panelRefName").asString();
            if (!referenceNames.contains(name)) {
                problems.add(id + ": panel " + name + " has no reference");
            }
        }
        embedded(o.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON"));
    }
}
