package io.kopek.scheduler.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.SchedulerTestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console as the build made it (the scheduler module's Maven build runs Vite into {@code target/classes}),
 * served over real HTTP by the platform.
 */
@SpringBootTest(classes = SchedulerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleWebTest {

    @LocalServerPort
    int port;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertIsTheConsolePage(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body())
                .as(
                        "the console's index.html (built by 'npm run build' in scheduler/console during generate-resources)")
                .contains("<div id=\"root\">")
                .contains("/console/assets/");
        // index.html names the current hashed assets: a stale copy would load the previous release.
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void theConsoleIsServedAtItsRootWithoutAuthentication() throws Exception {
        assertIsTheConsolePage(get("/console/"));
    }

    @Test
    void aRouteOfTheAppGetsThePageSoReloadsAndBookmarksWork() throws Exception {
        assertIsTheConsolePage(get("/console/jobs"));
        assertIsTheConsolePage(get("/console/reconciliation/yookassa"));
    }

    @Test
    void theConsoleWithoutItsSlashIsRedirectedToIt() throws Exception {
        HttpResponse<String> answer = get("/console");

        assertThat(answer.statusCode()).isBetween(301, 308);
        assertThat(answer.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
    }

    @Test
    void hashedAssetsAreCachedForAYearAndAMissingOneIsNotThePage() throws Exception {
        Matcher script = Pattern.compile("/console/assets/[^\"]+\\.js")
                .matcher(get("/console/").body());
        assertThat(script.find()).as("index.html names its script").isTrue();

        HttpResponse<String> asset = get(script.group());
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(
                        c -> assertThat(c).contains("max-age=31536000").contains("immutable"));

        assertThat(get("/console/assets/no-such-file.js").statusCode()).isEqualTo(404);
        assertThat(get("/console/favicon-that-is-not-there.png").statusCode()).isEqualTo(404);
    }

    @Test
    void theApiBehindTheConsoleStillNeedsCredentials() throws Exception {
        assertThat(get("/api/v1/jobs").statusCode()).isEqualTo(401);
    }
}
