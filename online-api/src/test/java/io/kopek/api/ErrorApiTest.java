package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;

/** What the container forwards to /error is a problem that names nothing of the failure. */
class ErrorApiTest {

    @Test
    void anExceptionForwardedByTheContainerIsAProblemThatNamesNothingOfIt() {
        MockHttpServletRequest forwarded = new MockHttpServletRequest("GET", "/error");
        forwarded.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        forwarded.setAttribute(
                RequestDispatcher.ERROR_EXCEPTION,
                new IllegalStateException("connection to http://10.0.0.7:5432 refused"));
        forwarded.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/invoices");

        var answer = new ErrorApi().error(forwarded);

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().getType().toString()).isEqualTo(ProblemWriter.TYPE_BASE + "internal-error");
        assertThat(answer.getBody().getDetail()).doesNotContain("http", "IllegalState", "10.0.0.7");
        assertThat(answer.getBody().getInstance().toString()).isEqualTo("/api/v1/invoices");
    }

    @Test
    void aStatusTheContainerChoseKeepsItsProblemType() {
        MockHttpServletRequest forwarded = new MockHttpServletRequest("GET", "/error");
        forwarded.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 413);

        var answer = new ErrorApi().error(forwarded);

        assertThat(answer.getStatusCode().value()).isEqualTo(413);
        assertThat(answer.getBody().getType().toString()).isEqualTo(ProblemWriter.TYPE_BASE + RequestBodyLimit.PROBLEM);
    }
}
