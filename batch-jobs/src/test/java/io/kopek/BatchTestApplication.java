package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core with the batch jobs, for the jobs' tests. */
@SpringBootApplication
public class BatchTestApplication {}
