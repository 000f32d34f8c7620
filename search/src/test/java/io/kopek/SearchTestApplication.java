package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core, the batch jobs (reconciliation, fiscal) and the API with the search indexer, for its tests. */
@SpringBootApplication
public class SearchTestApplication {}
