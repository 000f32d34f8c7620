package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The platform with the scheduler, for the scheduler's tests. */
@SpringBootApplication
public class SchedulerTestApplication {}
