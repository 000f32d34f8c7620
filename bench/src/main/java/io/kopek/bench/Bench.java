package io.kopek.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ./kopek bench NAME [--key=value ...]}: runs one benchmark; its last line is {@code RESULT NAME k=v ...}.
 */
public final class Bench {

    private static final Map<String, Supplier<Benchmark>> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("smoke", SmokeBenchmark::new);
        BENCHMARKS.put("api", ApiBenchmark::new);
        BENCHMARKS.put("recon", ReconBenchmark::new);
        BENCHMARKS.put("fiscal", FiscalBenchmark::new);
        BENCHMARKS.put("excel", ExcelBenchmark::new);
        BENCHMARKS.put("webhooks", WebhooksBenchmark::new);
        BENCHMARKS.put("index", IndexBenchmark::new);
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "list" : args[0];
        if (name.equals("list") || !BENCHMARKS.containsKey(name)) {
            if (!name.equals("list")) {
                System.err.println("unknown benchmark " + name);
            }
            BENCHMARKS.forEach((n, b) -> System.out.println(n + "  " + b.get().description()));
            System.exit(name.equals("list") ? 0 : 2);
        }
        Options options = Options.parse(args);
        Result result = BENCHMARKS.get(name).get().run(options);
        System.out.println(result.line(name));
    }
}
