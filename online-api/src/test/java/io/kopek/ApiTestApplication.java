package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core with the online API, for the API's tests. */
@SpringBootApplication
public class ApiTestApplication {}
