package io.kopek.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.*}: how batch workers look after their runs.
 *
 * @param recoveryInterval how often a batch worker looks for runs left by a dead worker (it also looks at start-up)
 * @param ownerlessAfter a run that has not yet told which worker runs it is taken for abandoned after this long
 */
@ConfigurationProperties("kopek.batch")
public record BatchProperties(
        @DefaultValue("1m") Duration recoveryInterval,
        @DefaultValue("2m") Duration ownerlessAfter) {}
