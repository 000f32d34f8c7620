package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What builds Kopek is pinned: a Maven that {@code ./mvnw} downloads is checked against its known SHA-256. */
class BuildToolsTest {

    @Test
    void theMavenWrapperChecksTheDistributionItDownloads() throws IOException {
        Properties wrapper = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("..", ".mvn", "wrapper", "maven-wrapper.properties"))) {
            wrapper.load(in);
        }

        assertThat(wrapper.getProperty("distributionUrl")).startsWith("https://repo.maven.apache.org/maven2/");
        // The SHA-256 of apache-maven-3.9.16-bin.zip as downloaded from Maven Central, whose published SHA-512
        // of the same file it matched.
        assertThat(wrapper.getProperty("distributionSha256Sum")).matches("[0-9a-f]{64}");
    }
}
