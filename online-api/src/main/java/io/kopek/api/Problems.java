package io.kopek.api;

import io.kopek.errors.KopekException;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.ledger.PendingTransferStateException;
import io.kopek.money.CurrencyMismatchException;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.ProviderException;
import jakarta.servlet.ServletException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every refusal into an RFC 9457 problem with a stable type. */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    @ExceptionHandler(KopekException.class)
    ResponseEntity<ProblemDetail> domain(KopekException e) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return respond(ProblemWriter.problem(status, e.type(), e.getMessage()));
    }

    /** A report's request with a filter, format or option it cannot take: a 400 naming the field. */
    @ExceptionHandler(io.kopek.report.InvalidFilterException.class)
    ResponseEntity<ProblemDetail> reportFilter(io.kopek.report.InvalidFilterException e) {
        return respond(validation(
                "the report cannot be made with these values",
                List.of(Map.of("field", e.field(), "message", e.getMessage()))));
    }

    /** A parameter a handler refuses itself: a 400 naming it. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException e) {
        return respond(
                validation("a parameter is not valid", List.of(Map.of("field", e.field(), "message", e.getMessage()))));
    }

    /** A provider callback that could not be authenticated or read: logged by the callbacks, refused here. */
    @ExceptionHandler(CallbackRejectedException.class)
    ResponseEntity<ProblemDetail> callbackRejected(CallbackRejectedException e) {
        return respond(
                switch (e.reason()) {
                    case UNAUTHENTICATED ->
                        ProblemWriter.problem(HttpStatus.UNAUTHORIZED, "callback-rejected", e.getMessage());
                    case SENDER_NOT_ALLOWED ->
                        ProblemWriter.problem(HttpStatus.FORBIDDEN, "callback-sender-not-allowed", e.getMessage());
                    case MALFORMED ->
                        ProblemWriter.problem(HttpStatus.BAD_REQUEST, "malformed-callback", e.getMessage());
                });
    }

    /**
     * A provider that did not answer; a callback answered so is delivered again by its provider. The answer names
     * the provider and its code; addresses and exceptions go to the log only.
     */
    @ExceptionHandler(ProviderException.class)
    ResponseEntity<ProblemDetail> provider(ProviderException e) {
        log.warn("answered 503 for a provider: {}", e.getMessage());
        return respond(ProblemWriter.problem(HttpStatus.SERVICE_UNAVAILABLE, "provider-unavailable", e.publicDetail()));
    }

    /** Anything else is our fault: logged whole, answered with nothing of its insides. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) throws Exception {
        if (e instanceof ErrorResponse || e instanceof ServletException) {
            throw e; // Spring's own, answered by the handlers it has (as problems)
        }
        log.error("unexpected error answering a request", e);
        return respond(ProblemWriter.problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "an unexpected error; it has been logged"));
    }

    /** A body cut at its cap while a handler read it (see {@link RequestBodyLimit}). */
    @ExceptionHandler(RequestBodyLimit.TooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestBodyLimit.TooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close") // the rest of the body is not worth reading
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemWriter.problem(HttpStatus.CONTENT_TOO_LARGE, RequestBodyLimit.PROBLEM, e.getMessage()));
    }

    @ExceptionHandler(InsufficientFundsException.class)
    ResponseEntity<ProblemDetail> insufficientFunds(InsufficientFundsException e) {
        ProblemDetail problem =
                ProblemWriter.problem(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient-funds", e.getMessage());
        problem.setProperty(
                "available",
                Map.of(
                        "amount",
                        e.available().minor(),
                        "currency",
                        e.available().currency().getCurrencyCode()));
        problem.setProperty(
                "requested",
                Map.of(
                        "amount",
                        e.requested().minor(),
                        "currency",
                        e.requested().currency().getCurrencyCode()));
        return respond(problem);
    }

    @ExceptionHandler(PendingTransferStateException.class)
    ResponseEntity<ProblemDetail> pending(PendingTransferStateException e) {
        return respond(ProblemWriter.problem(HttpStatus.CONFLICT, "hold-" + e.status(), e.getMessage()));
    }

    @ExceptionHandler(CurrencyMismatchException.class)
    ResponseEntity<ProblemDetail> currency(CurrencyMismatchException e) {
        return respond(ProblemWriter.problem(HttpStatus.UNPROCESSABLE_CONTENT, "currency-mismatch", e.getMessage()));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return respond(ProblemWriter.problem(HttpStatus.FORBIDDEN, "forbidden", "this API key's role may not do that"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return respond(validation(
                "a parameter is not valid",
                List.of(Map.of(
                        "field",
                        e.getName(),
                        "message",
                        "cannot be read as " + e.getRequiredType().getSimpleName()))));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return badRequest(validation(
                "the request has invalid fields",
                e.getBindingResult().getFieldErrors().stream()
                        .map(f ->
                                Map.of("field", snake(f.getField()), "message", String.valueOf(f.getDefaultMessage())))
                        .toList()));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return badRequest(validation(
                "the request has invalid parameters",
                e.getParameterValidationResults().stream()
                        .flatMap(r -> r.getResolvableErrors().stream()
                                .map(err -> Map.of(
                                        "field",
                                                String.valueOf(
                                                        r.getMethodParameter().getParameterName()),
                                        "message", String.valueOf(err.getDefaultMessage()))))
                        .toList()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var tooLarge = RequestBodyLimit.tooLarge(e);
        if (tooLarge.isPresent()) {
            ResponseEntity<ProblemDetail> answer = tooLarge(tooLarge.get());
            return new ResponseEntity<>(answer.getBody(), answer.getHeaders(), answer.getStatusCode());
        }
        String where = "";
        if (e.getMostSpecificCause() instanceof tools.jackson.core.JacksonException jackson) {
            String path = path(jackson);
            if (NulCharacters.PROBLEM.equals(jackson.getOriginalMessage())) {
                return badRequest(ProblemWriter.problem(
                        HttpStatus.BAD_REQUEST,
                        NulCharacters.PROBLEM,
                        "'" + path + "' contains a NUL character (0x00), which Kopek does not store"));
            }
            if (CardNumbers.PROBLEM.equals(jackson.getOriginalMessage())) {
                return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(ProblemWriter.problem(
                                HttpStatus.UNPROCESSABLE_CONTENT,
                                CardNumbers.PROBLEM,
                                "'" + path + "' contains a card number, which Kopek does not store"));
            }
            where = path.isEmpty() ? "" : " (at '" + path + "')";
        } else {
            // A value Jackson handed to another parser (a date that is no date): the path is on the Jackson
            // exception that wraps that parser's.
            for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
                if (t instanceof tools.jackson.core.JacksonException jackson
                        && !jackson.getPath().isEmpty()) {
                    where = " (at '" + path(jackson) + "')";
                    break;
                }
            }
        }
        ProblemDetail problem = ProblemWriter.problem(
                HttpStatus.BAD_REQUEST, "malformed-request", "the body is not valid JSON for this endpoint" + where);
        return badRequest(problem);
    }

    /** Spring's own problems (404, 405, 415, ...) get a stable type of ours instead of {@code about:blank}. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null
                        || "about:blank".equals(problem.getType().toString()))) {
            String type = ProblemWriter.typeOf(statusCode.value());
            problem.setType(URI.create(ProblemWriter.TYPE_BASE + type));
        }
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, problemHeaders, statusCode);
    }

    /** A 400 of type {@code validation} listing each bad field or parameter with its message. */
    private static ProblemDetail validation(String detail, List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemWriter.problem(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    private static ResponseEntity<Object> badRequest(ProblemDetail problem) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** Where in the body a Jackson exception happened: {@code filters.from}, {@code items.[2].quantity}. */
    private static String path(tools.jackson.core.JacksonException jackson) {
        return jackson.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("");
    }

    static String snake(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
