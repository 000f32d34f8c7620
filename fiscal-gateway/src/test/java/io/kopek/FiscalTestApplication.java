package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core with the fiscal gateway, for the gateway's tests. */
@SpringBootApplication
public class FiscalTestApplication {}
