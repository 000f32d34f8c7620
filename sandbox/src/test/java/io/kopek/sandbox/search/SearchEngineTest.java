package io.kopek.sandbox.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.sandbox.LoopbackPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    @Test
    void aNodeWhosePortIsTakenExitsIsStartedOnceMoreAndSaysWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPorts.free()));
            assertThatThrownBy(() -> SearchEngine.start(SearchEngine.distribution(), "256m", taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited while starting (exit code ")
                    .hasMessageContaining("BindHttpException")
                    .satisfies(second -> assertThat(second.getSuppressed())
                            .singleElement()
                            .satisfies(first -> assertThat(first).hasMessageContaining("BindHttpException")));
        }
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
