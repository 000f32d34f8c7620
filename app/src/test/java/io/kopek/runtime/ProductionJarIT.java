package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operators deploy, {@code target/kopek-exec.jar}, carries no simulator, no demo data, no SSH or SFTP server
 * and none of the sandbox's made-up credentials: those live in the demo module, which only {@code ./kopek demo} and
 * the tests use. The SFTP client (Spring Integration over Apache MINA SSHD's client) stays.
 */
class ProductionJarIT {

    private static final Path JAR = Path.of("target/kopek-exec.jar").toAbsolutePath();

    /** Every entry of Kopek's own code in the jar: its classes and the entries of each Kopek module's jar. */
    private static final List<String> kopekEntries = new ArrayList<>();

    private static final List<String> libraries = new ArrayList<>();

    /** The text of Kopek's own classes and resources, to look for what must not be there. */
    private static final StringBuilder kopekText = new StringBuilder();

    @BeforeAll
    static void readTheJar() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("BOOT-INF/lib/")) {
                    String library = name.substring("BOOT-INF/lib/".length());
                    libraries.add(library);
                    if (isKopekModule(library)) {
                        try (JarInputStream module = new JarInputStream(jar.getInputStream(entry))) {
                            for (JarEntry inner; (inner = module.getNextJarEntry()) != null; ) {
                                read(library + "!/" + inner.getName(), module);
                            }
                        }
                    }
                } else if (name.startsWith("BOOT-INF/classes/")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        read(name, in);
                    }
                }
            }
        }
    }

    @Test
    void theJarIsTheApplicationWithEveryProductionModule() {
        assertThat(kopekEntries).contains("BOOT-INF/classes/io/kopek/KopekApplication.class");
        assertThat(libraries)
                .anyMatch(l -> l.startsWith("kernel-"))
                .anyMatch(l -> l.startsWith("billing-core-"))
                .anyMatch(l -> l.startsWith("reconciliation-"))
                .anyMatch(l -> l.startsWith("provider-yookassa-"))
                .anyMatch(l -> l.startsWith("spring-integration-sftp-"));
    }

    @Test
    void carriesNoSimulatorNoDemoAndNoSandboxSecret() {
        assertThat(libraries).noneMatch(l -> l.startsWith("sandbox-") || l.startsWith("demo-"));
        assertThat(kopekEntries)
                .noneMatch(e -> e.contains("io/kopek/sandbox/") || e.contains("io/kopek/demo/"))
                .noneMatch(e -> e.endsWith("application-demo.yml") || e.endsWith("acme-processing.yml"));
        assertThat(kopekText.toString())
                .doesNotContain("io/kopek/sandbox")
                .doesNotContain("acme-callback-secret")
                .doesNotContain("DemoSandbox");
    }

    @Test
    void noKopekCodeStartsAnSshServer() {
        assertThat(kopekText.toString()).doesNotContain("org/apache/sshd/server");
    }

    private static boolean isKopekModule(String library) {
        return library.matches("[a-z-]+-0\\.1\\.0-SNAPSHOT\\.jar") && !library.startsWith("spring-");
    }

    private static void read(String name, InputStream in) throws IOException {
        kopekEntries.add(name);
        if (name.endsWith(".class")
                || name.endsWith(".yml")
                || name.endsWith(".properties")
                || name.endsWith(".factories")
                || name.endsWith(".imports")) {
            kopekText
                    .append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .append('\n');
        }
    }
}
