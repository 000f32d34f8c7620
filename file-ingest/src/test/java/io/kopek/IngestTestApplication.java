package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core with the file intake, for the intake's tests. */
@SpringBootApplication
public class IngestTestApplication {}
