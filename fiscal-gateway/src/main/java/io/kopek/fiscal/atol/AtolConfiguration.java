package io.kopek.fiscal.atol;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.fiscal.FiscalOperator;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Registers the ATOL Online operator when {@code kopek.fiscal.atol.enabled=true}. */
@AutoConfiguration
@EnableConfigurationProperties(AtolProperties.class)
public class AtolConfiguration {

    @Bean
    @ConditionalOnProperty(name = "kopek.fiscal.atol.enabled", havingValue = "true")
    FiscalOperator atolOnlineOperator(AtolProperties properties, Clock clock, BusinessCalendar calendar) {
        return new AtolOnlineOperator(properties, clock, calendar.zone());
    }
}
