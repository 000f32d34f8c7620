package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.KopekApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole API in one place, every module's (the online API's, the scheduler's): every endpoint with the roles it admits and, for a POST, how it is idempotent, as
 * the handlers declare them ({@link Allowed}, {@link Idempotent}). Printed, and held to
 * {@code src/test/resources/endpoint-matrix.txt}, so that a change to who may do what is a reviewed change of that
 * file; on a difference the matrix read is written to {@code target/endpoint-matrix.txt}.
 */
@SpringBootTest(
        classes = KopekApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // as ApplicationTest's, so that both share one application
        properties = "kopek.security.bootstrap-admin-key=kpk_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")
class EndpointMatrixTest {

    private static final Path EXPECTED = Path.of("src", "test", "resources", "endpoint-matrix.txt");

    @Autowired
    Endpoints endpoints;

    @Test
    void theMatrixIsWhatTheEndpointsDeclare() throws IOException {
        String matrix = endpoints.all().stream()
                        .sorted(Comparator.comparing(
                                        (Endpoints.Endpoint e) -> e.pattern().getPatternString())
                                .thenComparing(Endpoints.Endpoint::method))
                        .map(Endpoints.Endpoint::line)
                        .collect(Collectors.joining("\n"))
                + "\n";
        System.out.println(matrix);
        String expected = Files.readString(EXPECTED);
        if (!expected.equals(matrix)) {
            Files.writeString(Path.of("target", "endpoint-matrix.txt"), matrix);
        }

        assertThat(matrix).isEqualTo(expected);
    }

    @Test
    void everyPostSaysHowItIsIdempotentAndEveryEndpointWhoMayCallIt() {
        assertThat(endpoints.all()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.withoutKey() || !e.roles().isEmpty()).as(e.line()).isTrue();
            if (e.method().name().equals("POST") && !e.withoutKey()) {
                assertThat(e.idempotency()).as(e.line()).isNotNull();
            }
        });
        assertThat(endpoints.all())
                .filteredOn(Endpoints.Endpoint::withoutKey)
                .extracting(e -> e.pattern().getPatternString())
                .containsOnly("/api/v1/callbacks/{provider}", "/api/v1/session");
    }
}
