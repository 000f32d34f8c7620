package io.kopek;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing core and the notifications module with its e-mail channel, for the mail tests. */
@SpringBootApplication
public class MailTestApplication {}
