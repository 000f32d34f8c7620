package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core, card payments, the intake, reconciliation and the fiscal gateway with the reports, for their tests. */
@SpringBootApplication
public class ReportsTestApplication {}
