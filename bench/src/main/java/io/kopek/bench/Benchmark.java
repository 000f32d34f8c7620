package io.kopek.bench;

interface Benchmark {

    String description();

    Result run(Options options) throws Exception;
}
