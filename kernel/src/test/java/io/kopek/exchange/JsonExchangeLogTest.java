package io.kopek.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What an exchange with an outside service leaves in the log. */
@ExtendWith(OutputCaptureExtension.class)
class JsonExchangeLogTest {

    HttpServer server;
    Logger logger = (Logger) LoggerFactory.getLogger(JsonExchange.class);
    Level level;

    @BeforeEach
    void aServiceThatEchoesCardNumbers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"card\":\"4276.3800.1234.5679\",\"reason\":\"card4276380012345679 declined\","
                            + "\"amex\":\"3782 822463 10005\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        logger.setLevel(level);
        server.stop(0);
    }

    @Test
    void cardNumbersInTheAnswerAndTheAddressAreMaskedInTheLog(CapturedOutput output) {
        JsonExchange<IllegalStateException> exchange =
                JsonExchange.with("test", Duration.ofSeconds(2), Duration.ofSeconds(5), new JsonExchange.Failures<>() {
                    @Override
                    public IllegalStateException noAnswer(String detail, Exception cause) {
                        return new IllegalStateException(detail, cause);
                    }

                    @Override
                    public IllegalStateException unreadable(String detail, Exception cause) {
                        return new IllegalStateException(detail, cause);
                    }
                });

        var answer = exchange.send(
                "status",
                HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/payments?pan=4276_3800_1234_5679")));

        assertThat(answer.text("card", null))
                .as("the answer itself is the caller's")
                .isNotNull();
        assertThat(output.getAll())
                .contains("427638******5679")
                .contains("378282*****0005")
                .doesNotContain("4276.3800.1234.5679")
                .doesNotContain("4276380012345679")
                .doesNotContain("4276_3800_1234_5679")
                .doesNotContain("3782 822463 10005");
    }
}
