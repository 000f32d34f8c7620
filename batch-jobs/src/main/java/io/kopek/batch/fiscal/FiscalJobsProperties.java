package io.kopek.batch.fiscal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.fiscal.*}: when the batch role runs the fiscal jobs (only with {@code kopek.fiscal.enabled}).
 *
 * @param pushEvery pause between the end of a {@code fiscalPush} run and the start of the next
 * @param statusEvery pause between {@code fiscalStatus} runs
 * @param unfiscalizedCheck cron (in the business zone) of the daily {@code unfiscalizedCheck}
 * @param passSize how many receipts one pass of a step takes before it records its progress
 */
@ConfigurationProperties("kopek.batch.fiscal")
public record FiscalJobsProperties(
        @DefaultValue("10s") Duration pushEvery,
        @DefaultValue("10s") Duration statusEvery,
        @DefaultValue("0 0 7 * * *") String unfiscalizedCheck,
        @DefaultValue("500") int passSize) {}
