package io.kopek.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose file's sandbox service: the four simulators started from the environment (secrets read from the files
 * named after Kopek's properties, as compose mounts them), each answering real HTTP calls on its fixed port.
 */
class SandboxServerTest {

    @TempDir
    Path secrets;

    @Test
    void startsEverySimulatorOnItsPortWithTheCredentialsOfTheSecretFilesAndSaysWhatItServes() throws Exception {
        Map<String, String> env = environment();
        Files.writeString(secrets.resolve("kopek.providers.yookassa.secret-key"), "yk-secret\n");
        Files.writeString(secrets.resolve("kopek.providers.sber.password"), "sber-password");
        Files.writeString(secrets.resolve("kopek.providers.sber.callback-key"), "sber-callback-key");
        Files.writeString(secrets.resolve("kopek.generic-processors.acme.api-key"), "acme-key");
        Files.writeString(secrets.resolve("kopek.generic-processors.acme.callback.secret"), "acme-callback");
        Files.writeString(secrets.resolve("kopek.fiscal.atol.password"), "atol-password");
        SandboxServer.Settings settings = SandboxServer.settings(env);

        try (SandboxServer server = SandboxServer.start(settings);
                HttpClient http = HttpClient.newHttpClient()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            server.describe(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("http://127.0.0.1:" + settings.yookassaPort() + "/v3/")
                    .contains("http://127.0.0.1:" + settings.atolPort() + "/possystem/v5/");

            String basic = Base64.getEncoder().encodeToString("sandbox-shop:yk-secret".getBytes());
            HttpResponse<String> yookassa = http.send(
                    HttpRequest.newBuilder(url(settings.yookassaPort(), "/v3/payments/no-such-payment"))
                            .header("Authorization", "Basic " + basic)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(yookassa.statusCode()).as(yookassa.body()).isEqualTo(404);
            HttpResponse<String> wrongKey = http.send(
                    HttpRequest.newBuilder(url(settings.yookassaPort(), "/v3/payments/no-such-payment"))
                            .header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder().encodeToString("sandbox-shop:x".getBytes()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongKey.statusCode()).isEqualTo(401);

            HttpResponse<String> atol = http.send(
                    HttpRequest.newBuilder(url(settings.atolPort(), "/possystem/v5/getToken"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"login\":\"sandbox-atol\",\"pass\":\"atol-password\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(atol.statusCode()).isEqualTo(200);
            assertThat(atol.body()).contains("\"token\"");

            HttpResponse<String> sber = http.send(
                    HttpRequest.newBuilder(url(settings.sberPort(), "/payment/rest/getOrderStatusExtended.do"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "userName=sandbox-api&password=sber-password&orderId=none"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sber.statusCode()).isEqualTo(200);
            assertThat(sber.body()).contains("errorCode");

            HttpResponse<String> acme = http.send(
                    HttpRequest.newBuilder(url(settings.acmePort(), "/api/payments/none"))
                            .header("X-Api-Key", "acme-key")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(acme.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void namesEveryMissingCredentialAtOnce() {
        Map<String, String> env = environment();
        env.remove("KOPEK_SANDBOX_ATOL_LOGIN");

        assertThatThrownBy(() -> SandboxServer.settings(env))
                .hasMessageContaining("KOPEK_SANDBOX_ATOL_LOGIN")
                .hasMessageContaining("KOPEK_SANDBOX_YOOKASSA_SECRET_KEY (or the file " + secrets)
                .hasMessageContaining("KOPEK_SANDBOX_ATOL_PASSWORD");
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("KOPEK_SANDBOX_BIND", InetAddress.getLoopbackAddress().getHostAddress());
        env.put("KOPEK_SANDBOX_YOOKASSA_PORT", Integer.toString(freePort()));
        env.put("KOPEK_SANDBOX_SBER_PORT", Integer.toString(freePort()));
        env.put("KOPEK_SANDBOX_ACME_PORT", Integer.toString(freePort()));
        env.put("KOPEK_SANDBOX_ATOL_PORT", Integer.toString(freePort()));
        env.put("KOPEK_SANDBOX_SECRETS", secrets.toString());
        env.put("KOPEK_SANDBOX_YOOKASSA_SHOP_ID", "sandbox-shop");
        env.put("KOPEK_SANDBOX_SBER_USER_NAME", "sandbox-api");
        env.put("KOPEK_SANDBOX_ATOL_LOGIN", "sandbox-atol");
        env.put("KOPEK_SANDBOX_ATOL_GROUP", "sandbox-group_1");
        return env;
    }

    private static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
