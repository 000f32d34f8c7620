package io.kopek.search;

import java.util.Map;

/**
 * One document as the templates describe it: its kind, its id (the object's id: {@code 42} of payment 42) and its
 * fields in snake_case, money as minor units beside the currency, instants in ISO 8601.
 */
public record Document(Kind kind, String id, Map<String, Object> source) {}
