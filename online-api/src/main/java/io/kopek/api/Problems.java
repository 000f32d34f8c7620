package io.kopek.api;

import io.kopek.errors.KopekException;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.ledger.PendingTransferStateException;
import io.kopek.money.CurrencyMismatchException;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.ProviderException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
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

    /** A provider callback that could not be authenticated: logged by the callbacks, refused here. */
    @ExceptionHandler(CallbackRejectedException.class)
    ResponseEntity<ProblemDetail> callbackRejected(CallbackRejectedException e) {
        return respond(ProblemWriter.problem(HttpStatus.UNAUTHORIZED, "callback-rejected", e.getMessage()));
    }

    /** A provider that did not answer; a callback answered so is delivered again by its provider. */
    @ExceptionHandler(ProviderException.class)
    ResponseEntity<ProblemDetail> provider(ProviderException e) {
        return respond(ProblemWriter.problem(HttpStatus.SERVICE_UNAVAILABLE, "provider-unavailable", e.getMessage()));
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
        String where = "";
        if (e.getMostSpecificCause() instanceof tools.jackson.core.JacksonException jackson) {
            String path = jackson.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b)
                    .orElse("");
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
        }
        ProblemDetail problem = ProblemWriter.problem(
                HttpStatus.BAD_REQUEST, "malformed-request", "the body is not valid JSON for this endpoint" + where);
        return badRequest(problem);
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

    static String snake(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
