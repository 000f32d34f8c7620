package io.kopek.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.*}: how batch workers look after their runs.
 *
 * @param ownerlessAfter a run that has not yet told which worker runs it is taken for abandoned after this long
 */
@ConfigurationProperties("kopek.batch")
public record BatchProperties(@DefaultValue("2m") Duration ownerlessAfter) {}
