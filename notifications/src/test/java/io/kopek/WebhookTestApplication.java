package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/** The platform with notifications, for the webhook tests; their settings are in {@code webhook-test.properties}. */
@SpringBootApplication
@PropertySource("classpath:webhook-test.properties")
public class WebhookTestApplication {}
