package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core, the batch jobs and the API with the notifications, for their tests. */
@SpringBootApplication
public class NotificationsTestApplication {}
