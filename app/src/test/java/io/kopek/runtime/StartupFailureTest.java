package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.KopekApplication;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bad configuration stops start-up with one line that says what is wrong, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @Test
    void anUnreachableDatabaseIsNamedInOneLine(CapturedOutput output) throws Exception {
        int unusedPort;
        try (var socket = new ServerSocket(0)) {
            unusedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + unusedPort + "/kopek?user=kopek&password=secret";

        assertStartFails("--spring.datasource.url=" + url);

        assertOneFailureLine(output, "cannot connect to the database jdbc:postgresql://127.0.0.1:" + unusedPort);
        assertThat(output.getAll()).doesNotContain("secret");
    }

    @Test
    void anUnknownRoleIsNamedInOneLine(CapturedOutput output) {
        assertStartFails("--kopek.roles=api,accounting");

        assertOneFailureLine(output, "kopek.roles");
        assertThat(failureLine(output)).contains("accounting");
    }

    @Test
    void theSchedulerRoleWithoutTheBatchRoleIsNamedInOneLine(CapturedOutput output) {
        assertStartFails("--kopek.roles=api,scheduler");

        assertOneFailureLine(output, "kopek.roles");
        assertThat(failureLine(output)).contains("needs the batch role");
    }

    @Test
    void theMigrateRoleBesideAnotherIsNamedInOneLine(CapturedOutput output) {
        assertStartFails("--kopek.roles=migrate,api");

        assertOneFailureLine(output, "kopek.roles");
        assertThat(failureLine(output)).contains("the migrate role runs alone");
    }

    @Test
    void aMissingRequiredPropertyIsNamedInOneLine(CapturedOutput output) {
        assertStartFails("--kopek.business-zone=");

        assertOneFailureLine(output, "kopek.business-zone");
    }

    private static void assertStartFails(String... args) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(KopekApplication.class)
                        .properties("server.port=0", "spring.main.banner-mode=off")
                        .run(args)
                        .close())
                .isNotNull();
    }

    private static void assertOneFailureLine(CapturedOutput output, String mentions) {
        assertThat(failureLine(output)).contains(mentions);
        assertThat(output.getAll().lines().filter(l -> l.startsWith("Kopek cannot start:")))
                .hasSize(1);
        assertThat(output.getAll())
                .doesNotContain("\tat ")
                .doesNotContain("APPLICATION FAILED TO START")
                .doesNotContain("Exception encountered during context initialization");
    }

    private static String failureLine(CapturedOutput output) {
        return output.getAll()
                .lines()
                .filter(l -> l.startsWith("Kopek cannot start:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failure line in:\n" + output.getAll()));
    }
}
