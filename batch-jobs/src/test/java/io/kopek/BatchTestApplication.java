package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core, the fiscal gateway, the intake and the batch jobs, for the batch module's tests. */
@SpringBootApplication
public class BatchTestApplication {}
