package io.kopek.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;

/** The OpenAPI document: bearer API keys, and the Idempotency-Key header on every POST. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI kopekOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Kopek API")
                        .version("v1")
                        .description(
                                "Amounts are integer minor units with a currency ({\"amount\": 150000, \"currency\":"
                                        + " \"RUB\"}); errors are RFC 9457 problems; lists are cursor-paginated."))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("kpk_<prefix>_<secret>")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(PostMapping.class)) {
                operation.addParametersItem(new HeaderParameter()
                        .name(Idempotency.HEADER)
                        .required(true)
                        .description("Any unique string; repeating a POST with the same key returns the first answer")
                        .schema(new StringSchema().maxLength(255)));
            }
            return operation;
        };
    }
}
