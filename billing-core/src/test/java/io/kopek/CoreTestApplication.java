package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core on its own, for the core's integration tests. */
@SpringBootApplication
public class CoreTestApplication {}
