package io.kopek.api;

import io.kopek.money.Money;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.module.SimpleModule;

@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    /**
     * The API's JSON conventions: snake_case names, enums as their lower-case codes ("individual", "active"),
     * read case-insensitively; a fractional number is never truncated into an integer amount.
     */
    @Bean
    JsonMapperBuilderCustomizer apiConventions() {
        return builder -> builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                // 10.5 kopecks is an error, not 10.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** Money in JSON: {@code {"amount": 150000, "currency": "RUB"}}, integer minor units. */
    @Bean
    SimpleModule moneyJson() {
        SimpleModule module = new SimpleModule("kopek-money");
        module.addDeserializer(String.class, NulCharacters.IN_JSON);
        module.addSerializer(Money.class, new ValueSerializer<>() {
            @Override
            public void serialize(Money value, JsonGenerator gen, SerializationContext ctxt) {
                MoneyJson.write(gen, value);
            }
        });
        return module;
    }
}
