package io.kopek.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container forwards to {@code /error} (an exception thrown in a filter, a {@code sendError} below
 * the controllers) is a problem too, in place of Spring Boot's own error JSON: the status the container chose, the
 * type that status has everywhere else, and a detail that names nothing of the failure (which went to the log).
 */
@Hidden
@RestController
class ErrorApi implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly, with no error behind it: there is nothing at /error.
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
                ? HttpStatus.valueOf(c)
                : HttpStatus.NOT_FOUND;
        String detail = status.is5xxServerError()
                ? "the server failed to answer this request; it is logged"
                : status.getReasonPhrase();
        ProblemDetail problem = ProblemWriter.problem(status, ProblemWriter.typeOf(status.value()), detail);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            problem.setInstance(java.net.URI.create(path.replaceAll("[^A-Za-z0-9/._~-]", "_")));
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
