package io.kopek.search.kibana;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Billing, card payments, reconciliation and the fiscal gateway (all of io.kopek on the test classpath). */
@SpringBootApplication(scanBasePackages = "io.kopek")
public class KibanaTestApplication {}
