package io.kopek.sandbox.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SearchEngineTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aStartedNodeIndexesAndCountsDocumentsAndStopsCleanly() throws Exception {
        SearchEngine engine = SearchEngine.start(SearchEngine.distribution(), "256m");
        try {
            assertThat(send(engine, "PUT", "/kopek-probe/_doc/1?refresh=true", "{\"amount\": 12345}"))
                    .isEqualTo(201);
            HttpResponse<String> count = http.send(
                    HttpRequest.newBuilder(engine.uri().resolve("/kopek-probe/_count"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).contains("\"count\":1");
        } finally {
            engine.close();
        }
        assertThat(engine.isRunning()).isFalse();
    }

    private int send(SearchEngine engine, String method, String path, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(engine.uri().resolve(path))
                                .header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
