package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that the server refuses below Spring (a URL it cannot decode, headers or a query past its limits, a
 * request line that is not HTTP) are answered as problems too, never as the server's HTML page.
 */
class ServerErrorsApiTest extends ApiTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a URL that cannot be decoded | GET /api/v1/invoices/% HTTP/1.1 | 400",
                "a URL with an encoded NUL in its path | GET /api/v1/invoices/%00 HTTP/1.1 | 400",
                "an over-long query | GET /api/v1/invoices?q=LONG HTTP/1.1 | 400",
                "an over-long header | GET /api/v1/invoices HTTP/1.1CRLFX-Long: LONG | 400",
                "a request line that is not HTTP | GET /api/v1/invoices a b c | 400",
                "a method name with bad characters | G{T /api/v1/invoices HTTP/1.1 | 400",
                "a path nobody serves | GET /no/such/page HTTP/1.1 | 404",
                "the error page asked for itself | GET /error HTTP/1.1 | 404",
            })
    void aRequestRefusedByTheServerIsAnsweredAsAProblem(String what, String requestLine, int status) throws Exception {
        String head = requestLine.replace("LONG", "x".repeat(20_000)).replace("CRLF", "\r\n")
                + "\r\nHost: 127.0.0.1\r\nConnection: close";

        var answer = RawHttp.send(port, head);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.body()).startsWith("application/problem+json");
        var problem = new JsonMapper().readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asString()).startsWith(ProblemWriter.TYPE_BASE);
        assertThat(answer.body()).doesNotContain("<html", "Tomcat", "Exception");
    }
}
