package io.kopek.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's OpenAPI document ({@code /v3/api-docs}) as Atlassian's swagger-request-validator reads it, to hold the
 * API tests' real requests and answers to it, as strictly as it goes: an undocumented property, query parameter,
 * status or content type is an error. One per document, read once per application.
 */
final class OpenApiValidator {

    private static final Map<String, OpenApiValidator> BY_DOCUMENT = new ConcurrentHashMap<>();

    private final OpenApiInteractionValidator validator;

    private OpenApiValidator(String document) {
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        // strict: a query parameter the document does not name is an error too
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                // OpenAPI 3.0 ignores anything beside a $ref, so a reference that may be null is written
                // {"nullable": true, "allOf": [{"$ref": ...}]}, the form client generators read as a nullable
                // reference; this validator (2.44) does not honour nullable on an allOf and refuses the null at
                // the reference. Only that is let through: an allOf failure whose only causes are the null at its
                // own place (or nested such failures); anything wrong inside a value that is there still fails.
                .withWhitelist(ValidationErrorsWhitelist.create()
                        .withRule(
                                "null at a nullable reference",
                                (message, operation, request, response) -> onlyANullAtANullableReference(message)))
                .build();
    }

    /** For the application on {@code port}, by the document it serves now. */
    static OpenApiValidator of(int port) {
        String document = new ApiClient(port, null).get("/v3/api-docs").raw().body();
        return BY_DOCUMENT.computeIfAbsent(document, OpenApiValidator::new);
    }

    /** What does not conform in an exchange with the API: its request and its answer; none if it conforms. */
    String problems(ApiClient.Exchange exchange) {
        return problems(exchange, true);
    }

    /** What does not conform in the answer to a request, for a request that is wrong on purpose. */
    String problemsInTheAnswer(ApiClient.Exchange exchange) {
        return problems(exchange, false);
    }

    private String problems(ApiClient.Exchange e, boolean requestToo) {
        URI uri = e.request().uri();
        var response = SimpleResponse.Builder.status(e.response().statusCode())
                .withBody(e.response().body());
        e.response().headers().map().forEach(response::withHeader);
        ValidationReport report;
        if (requestToo) {
            var request = new SimpleRequest.Builder(e.request().method(), uri.getPath());
            e.request().headers().map().forEach(request::withHeader);
            if (e.body() != null && !e.body().isEmpty()) {
                request.withBody(e.body());
            }
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    request.withQueryParam(
                            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            report = validator.validate(request.build(), response.build());
        } else {
            report = validator.validateResponse(
                    uri.getPath(), Request.Method.valueOf(e.request().method()), response.build());
        }
        return report.hasErrors()
                ? e.request().method() + " " + uri + " -> " + e.response().statusCode() + "\n"
                        + SimpleValidationReportFormat.getInstance().apply(report)
                : null;
    }

    /** Each answer from the API (under {@code /api/}) that the document does not describe. */
    List<String> problemsInTheAnswers(List<ApiClient.Exchange> exchanges) {
        List<String> problems = new ArrayList<>();
        for (ApiClient.Exchange e : exchanges) {
            if (e.request().uri().getPath().startsWith("/api/")) {
                String found = problemsInTheAnswer(e);
                if (found != null) {
                    problems.add(found);
                }
            }
        }
        return problems;
    }

    private static boolean onlyANullAtANullableReference(ValidationReport.Message message) {
        if (!message.getKey().endsWith(".schema.allOf")
                || message.getNestedMessages().isEmpty()) {
            return false;
        }
        String at = instance(message);
        return message.getNestedMessages().stream()
                .allMatch(nested -> onlyANullAtANullableReference(nested)
                        || (nested.getKey().endsWith(".schema.type")
                                && nested.getMessage().contains("Instance type (null)")
                                && at != null
                                && at.equals(instance(nested))));
    }

    private static String instance(ValidationReport.Message message) {
        return message.getContext()
                .flatMap(ValidationReport.MessageContext::getPointers)
                .map(ValidationReport.MessageContext.Pointers::getInstance)
                .orElse(null);
    }
}
