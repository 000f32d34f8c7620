package io.kopek.api;

import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document ({@code /v3/api-docs}): schemas from the API's own JSON configuration
 * ({@link OpenApiSchemas}), bearer API keys asked where {@link Endpoints} asks them (not of the providers'
 * callbacks) with the roles each endpoint admits, the Idempotency-Key header on every POST, and the RFC 9457
 * problems every operation can answer. springdoc's settings for it are in {@code openapi.properties} beside this
 * class, so the document is the same wherever the API runs; {@code OpenApiConformanceTest} holds it to the API's
 * real requests and answers.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/kopek/api/openapi.properties")
class OpenApiConfiguration {

    static final String API_KEY = "apiKey";
    static final String SESSION = "session";
    static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";

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
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("kpk_<prefix>_<secret>"))
                        .addSecuritySchemes(
                                SESSION,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.COOKIE)
                                        .name(ApiSecurity.SESSION_COOKIE)
                                        .description("A staff user's session (POST /api/v1/session); a request that"
                                                + " changes something also sends the session's CSRF token as "
                                                + ApiSecurity.CSRF_HEADER)))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY))
                .addSecurityItem(new SecurityRequirement().addList(SESSION));
    }

    /**
     * swagger-core's resolver, naming properties as the API's mapper does. First in springdoc's list of converters,
     * so it ends up last in swagger-core's chain, where the resolver it replaces was.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ModelResolver apiModelResolver(ObjectMapperProvider springdoc, JsonMapper api, OpenApiSchemas.TypeNames names) {
        return OpenApiSchemas.modelResolver(springdoc.jsonMapper(), api, names);
    }

    @Bean
    OpenApiSchemas.TypeNames apiSchemaNames() {
        return new OpenApiSchemas.TypeNames();
    }

    /** Enums and money as the API's mapper writes them; just ahead of the resolver in the chain. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    ModelConverter apiValues(JsonMapper api, ModelResolver apiModelResolver) {
        return new OpenApiSchemas.ApiValues(api, apiModelResolver);
    }

    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handler) -> {
            Allowed allowed = handler.getMethodAnnotation(Allowed.class);
            if (handler.hasMethodAnnotation(PostMapping.class) && (allowed == null || !allowed.withoutKey())) {
                operation.addParametersItem(new HeaderParameter()
                        .name(Idempotency.HEADER)
                        .required(true)
                        .description("Any unique string; repeating a POST with the same key returns the first answer")
                        .schema(new StringSchema().minLength(1).maxLength(255)));
                operation.addParametersItem(new HeaderParameter()
                        .name(ApiSecurity.CSRF_HEADER)
                        .required(false)
                        .description("Signed in with a session (not an API key): the session's csrf_token")
                        .schema(new StringSchema()));
            }
            return operation;
        };
    }

    /**
     * What {@link Endpoints} reads from the handlers, in the document: who may call each operation, no API key for
     * the providers' callbacks, and the problems each can answer.
     */
    @Bean
    OpenApiCustomizer endpointsAsDeclared(Endpoints endpoints, OpenApiSchemas.TypeNames names) {
        return openApi -> {
            names.requireDistinct();
            // here, not on the OpenAPI bean: springdoc drops a schema that nothing refers to before this runs
            openApi.getComponents().addSchemas(PROBLEM, problem());
            for (Endpoints.Endpoint endpoint : endpoints.all()) {
                PathItem path = openApi.getPaths().get(endpoint.pattern().getPatternString());
                Operation operation = path == null
                        ? null
                        : path.readOperationsMap()
                                .get(PathItem.HttpMethod.valueOf(
                                        endpoint.method().name()));
                if (operation == null) {
                    throw new IllegalStateException("the OpenAPI document lacks " + endpoint.line());
                }
                if (endpoint.withoutKey()
                        && endpoint.pattern().getPatternString().startsWith("/api/v1/callbacks/")) {
                    callback(operation, endpoint.method());
                } else if (endpoint.withoutKey()) {
                    signIn(operation);
                } else {
                    keyed(operation, endpoint);
                }
            }
        };
    }

    private static void keyed(Operation operation, Endpoints.Endpoint endpoint) {
        String roles = endpoint.roles().stream().map(ApiRole::code).collect(Collectors.joining(", "));
        operation.description((operation.getDescription() == null ? "" : operation.getDescription() + "\n\n")
                + "API keys, or signed-in users, of the roles: " + roles + ".");
        // on each operation, not only document-wide: some tools (request validators among them) read only these
        operation.security(
                List.of(new SecurityRequirement().addList(API_KEY), new SecurityRequirement().addList(SESSION)));
        ApiResponses responses = operation.getResponses();
        responses.addApiResponse(
                "400",
                problem("The request is malformed: invalid fields or parameters (`validation`, each named in"
                        + " `errors`), a body that is not JSON for this endpoint (`malformed-request`), a POST"
                        + " without an Idempotency-Key (`idempotency-key-required`)"));
        responses.addApiResponse(
                "401", problem("No API key or session, or one that is unknown, revoked or ended (`unauthenticated`)"));
        responses.addApiResponse(
                "403",
                problem("The caller's role may not do this (`forbidden`), or a signed-in request that changes"
                        + " something lacks the session's " + ApiSecurity.CSRF_HEADER + " (`csrf`)"));
        responses.addApiResponse("404", problem("Not found, or not the customer's own"));
        if (endpoint.method() == RequestMethod.POST) {
            responses.addApiResponse(
                    "409", problem("Conflicts with the state of what it acts on (e.g. an invoice that is cancelled)"));
        }
        responses.addApiResponse(
                "422",
                problem("Refused by a rule (e.g. more than is outstanding), or an Idempotency-Key already used for"
                        + " another request"));
        responses.addApiResponse(ApiResponses.DEFAULT, problem("Any other error"));
    }

    /** Signing in: no key or session asked; a refusal is a 401 or, locked out, a 423 with {@code locked_until}. */
    private static void signIn(Operation operation) {
        operation.security(List.of());
        ApiResponses responses = operation.getResponses();
        responses.addApiResponse("400", problem("Login or password missing (`validation`)"));
        responses.addApiResponse(
                "401", problem("The login or the password is wrong (`invalid-credentials`; the same for both)"));
        responses.addApiResponse(
                "423", problem("Too many wrong passwords: locked out until `locked_until` (`account-locked`)"));
        responses.addApiResponse(ApiResponses.DEFAULT, problem("Any other error"));
    }

    /**
     * A provider's callback: no API key (each provider module authenticates its own callbacks), the notification
     * as the provider sends it (JSON or a form in a POST, query parameters in a GET), and {@code {"status": ...}}
     * once it is verified.
     */
    private static void callback(Operation operation, RequestMethod method) {
        operation
                .summary("Receive a payment provider's callback")
                .description("No API key: the provider's module authenticates the callback (signature, checksum or"
                        + " sender address). Providers deliver again on anything but 200.")
                .security(List.of());
        if (method == RequestMethod.GET) {
            operation.addParametersItem(new QueryParameter()
                    .name("notification")
                    .description("The provider's notification as query parameters (Sber)")
                    .style(io.swagger.v3.oas.models.parameters.Parameter.StyleEnum.FORM)
                    .explode(true)
                    .schema(new ObjectSchema().additionalProperties(new StringSchema())));
        } else {
            operation.requestBody(new RequestBody()
                    .description("The provider's notification as it sends it")
                    .content(new Content()
                            .addMediaType("application/json", new MediaType().schema(new ObjectSchema()))
                            .addMediaType(
                                    "application/x-www-form-urlencoded",
                                    new MediaType()
                                            .schema(new ObjectSchema().additionalProperties(new StringSchema())))));
        }
        ApiResponses responses = operation.getResponses();
        responses.get("200").description("Verified: applied, or not about a payment of Kopek's");
        responses.addApiResponse("401", problem("The callback cannot be authenticated (`callback-rejected`)"));
        responses.addApiResponse("404", problem("No such payment provider"));
        responses.addApiResponse(
                "503", problem("The provider could not be asked to confirm it (`provider-unavailable`)"));
        responses.addApiResponse(ApiResponses.DEFAULT, problem("Any other error"));
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** RFC 9457, as {@link ProblemWriter} and {@link Problems} write it; other members may follow. */
    private static Schema<?> problem() {
        return new ObjectSchema()
                .description("An RFC 9457 problem; `type` is stable per kind of error")
                .addProperty("type", new StringSchema().format("uri").example(ProblemWriter.TYPE_BASE + "validation"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .description("Each invalid field or parameter, for `validation`")
                                .items(new ObjectSchema()
                                        .addProperty("field", new StringSchema())
                                        .addProperty("message", new StringSchema())))
                .addProperty("available", new Schema<>().$ref("#/components/schemas/" + OpenApiSchemas.ApiValues.MONEY))
                .addProperty("requested", new Schema<>().$ref("#/components/schemas/" + OpenApiSchemas.ApiValues.MONEY))
                .addProperty(
                        "locked_until",
                        new StringSchema().format("date-time").description("For `account-locked`: when it ends"))
                .required(List.of("type", "title", "status"))
                .additionalProperties(true);
    }
}
