package io.kopek.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The keys and values of a benchmark's RESULT line, in order. */
final class Result {

    private final Map<String, String> values = new LinkedHashMap<>();

    Result put(String key, long value) {
        values.put(key, Long.toString(value));
        return this;
    }

    Result put(String key, double value) {
        values.put(key, String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    String line(String name) {
        StringBuilder line = new StringBuilder("RESULT ").append(name);
        values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    /** Machines are noisy: benchmarks report the median of their rounds. */
    static double median(List<Double> samples) {
        List<Double> sorted = samples.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
