package io.kopek.provider.generic;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Dotted paths ({@code payment.amount.value}) into JSON, for configured field mappings. */
final class JsonPaths {

    private JsonPaths() {}

    static JsonNode read(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    static void write(ObjectNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        String last = parts[parts.length - 1];
        switch (value) {
            case Long l -> node.put(last, l);
            case Boolean b -> node.put(last, b);
            case java.util.Map<?, ?> map -> {
                ObjectNode object = node.putObject(last);
                map.forEach((k, v) -> object.put(String.valueOf(k), String.valueOf(v)));
            }
            default -> node.put(last, String.valueOf(value));
        }
    }
}
