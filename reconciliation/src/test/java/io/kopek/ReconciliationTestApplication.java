package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core, card payments and the registries' intake with the reconciliation, for its tests. */
@SpringBootApplication
public class ReconciliationTestApplication {}
