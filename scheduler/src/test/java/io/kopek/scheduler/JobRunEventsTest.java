package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.api.ApiRole;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The runs' changes as server-sent events, from one shared poller, to listeners that come and go. */
@TestPropertySource(
        properties = {"kopek.scheduler.job-run-events.heartbeat=300ms", "kopek.scheduler.job-run-events.max-listeners=3"
        })
class JobRunEventsTest extends JobControlTest {

    @Autowired
    JobRunEvents events;

    /**
     * One listener's connection over a plain socket (closing it is a client that goes away, for sure): the status
     * line, and the lines of the stream as they come, read on a thread of its own.
     */
    private record Listening(Socket socket, int status, List<String> lines) implements AutoCloseable {

        static Listening to(int port, String key, String query) {
            try {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/v1/job-runs/events" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Accept: text/event-stream\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                int status = Integer.parseInt(in.readLine().split(" ")[1]);
                List<String> lines = new CopyOnWriteArrayList<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException closed) {
                        // the test closed the connection, or the server did
                    }
                });
                return new Listening(socket, status, lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The data of the {@code run} events received, in order (the body is chunked: other lines are skipped). */
        List<JsonNode> runs() {
            List<JsonNode> runs = new ArrayList<>();
            String event = null;
            for (String line : lines) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && "run".equals(event)) {
                    runs.add(Http.JSON.readTree(line.substring(5).strip()));
                    event = null;
                }
            }
            return runs;
        }

        List<JsonNode> runs(long id) {
            return runs().stream().filter(r -> r.path("id").asLong() == id).toList();
        }

        boolean hasHeader(String header) {
            return lines.stream()
                    .anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(header));
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private Listening listen(ApiRole role, String query) {
        return Listening.to(port, keys.issue(role, null, "test " + role.code()).key(), query);
    }

    @Test
    void aListenerSeesARunProgressToItsEndAndOnlyTheJobItAskedFor() {
        Http operator = as(ApiRole.OPERATOR);
        try (Listening all = listen(ApiRole.FINANCE, "");
                Listening broken = listen(ApiRole.OPERATOR, "?job=" + TestJobs.BREAKS)) {
            assertThat(all.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> all.hasHeader("content-type: text/event-stream"));

            long id = operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(20, 100, null))
                    .id();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> all.runs(id).stream()
                            .anyMatch(r -> r.path("status").asString().equals("COMPLETED")));
            List<JsonNode> seen = all.runs(id);
            assertThat(seen.getLast().path("progress").asInt()).isEqualTo(100);
            assertThat(seen.getLast().path("job").asString()).isEqualTo(TestJobs.SLOW);
            assertThat(seen.getLast().has("restart_of")).as("the API's JSON").isTrue();
            assertThat(seen)
                    .as("the run as it went, not only its end")
                    .anySatisfy(r -> assertThat(r.path("progress").asInt()).isBetween(1, 99));
            assertThat(seen.stream()
                            .map(r -> r.path("steps").path(0).path("written").asLong()))
                    .as("counts only go forward")
                    .isSorted();
            assertThat(broken.runs(id)).isEmpty();
            assertThat(all.lines()).as("heartbeats").contains(":heartbeat");
        }
    }

    @Test
    void listenersAreBoundedAndOneThatGoesAwayIsDropped() {
        // the listeners of other tests, gone, are dropped at their next heartbeat
        await().atMost(Duration.ofSeconds(10)).until(() -> events.listeners() == 0);
        List<Listening> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(listen(ApiRole.OPERATOR, ""));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> events.listeners() == 3);
            Listening tooMany = listen(ApiRole.OPERATOR, "");
            tooMany.close();
            assertThat(tooMany.status()).isEqualTo(503);

            open.removeFirst().close();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.listeners() == 2);
            Listening again = listen(ApiRole.OPERATOR, "");
            open.add(again);
            assertThat(again.status()).isEqualTo(200);
        } finally {
            open.forEach(Listening::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events.listeners() == 0);
    }
}
