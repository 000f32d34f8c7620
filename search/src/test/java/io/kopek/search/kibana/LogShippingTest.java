package io.kopek.search.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/** Filebeat's configuration and the Logstash pipeline, and the log lines Kopek writes that they ship. */
@ExtendWith(OutputCaptureExtension.class)
class LogShippingTest {

    @Test
    @SuppressWarnings("unchecked")
    void filebeatReadsTheJsonLogFilesWithTheNdjsonParserIntoTheKopekLogsDataStream() throws Exception {
        Map<String, Object> config;
        try (Reader in = Files.newBufferedReader(KibanaObjects.ELK.resolve("filebeat/filebeat.yml"))) {
            config = new Yaml().load(in);
        }
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) config.get("filebeat.inputs");
        assertThat(inputs).hasSize(1);
        Map<String, Object> input = inputs.getFirst();
        assertThat(input).containsEntry("type", "filestream").containsEntry("enabled", true);
        assertThat((List<String>) input.get("paths")).singleElement().asString().contains("/var/log/kopek/*.json");
        Map<String, Object> ndjson = ((List<Map<String, Map<String, Object>>>) input.get("parsers"))
                .getFirst()
                .get("ndjson");
        assertThat(ndjson).containsEntry("target", "").containsEntry("expand_keys", true);

        Map<String, Object> output = (Map<String, Object>) config.get("output.elasticsearch");
        assertThat(output).containsEntry("index", "logs-kopek-default");
        assertThat((List<String>) output.get("hosts"))
                .singleElement()
                .asString()
                .startsWith("${ELASTICSEARCH_HOSTS");
        assertThat(output.get("api_key")).asString().startsWith("${ELASTICSEARCH_API_KEY");
        assertThat(config.keySet()).noneMatch(k -> k.startsWith("output.") && !k.equals("output.elasticsearch"));
    }

    @Test
    void theLogstashPipelineHasInputFilterAndOutputWithJsonAndEcsIntoTheSameDataStream() throws Exception {
        String pipeline = Files.readString(KibanaObjects.ELK.resolve("logstash/pipeline/kopek.conf"))
                .replaceAll("(?m)#.*$", "");

        for (String section : List.of("input", "filter", "output")) {
            assertThat(Pattern.compile("(?m)^" + section + "\\s*\\{")
                            .matcher(pipeline)
                            .find())
                    .as(section)
                    .isTrue();
        }
        assertThat(pipeline.chars().filter(c -> c == '{').count())
                .isEqualTo(pipeline.chars().filter(c -> c == '}').count());
        assertThat(pipeline)
                .contains("codec => json")
                .contains("ecs_compatibility => v8")
                .contains("elasticsearch {")
                .contains("data_stream_type => \"logs\"")
                .contains("data_stream_dataset => \"kopek\"")
                .contains("data_stream_namespace => \"default\"")
                .contains("/var/log/kopek/*.json");
    }

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    /**
     * A line of Kopek's JSON logging, written by Spring Boot's structured logging with the settings
     * {@code kopek.logs.json=true} turns on (app's {@code io.kopek.runtime.JsonLogs}), read back as Filebeat's ndjson
     * parser reads it: one JSON object whose ECS fields are at the root.
     */
    @Test
    void aKopekJsonLogLineHasTheEcsFieldsFilebeatShips(CapturedOutput output) {
        // Spring Boot skips configuring a logging system an earlier context of this JVM already configured.
        LoggingSystem.get(getClass().getClassLoader()).cleanUp();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .properties("logging.structured.format.console=ecs", "logging.structured.ecs.service.name=kopek")
                .run()) {
            LoggerFactory.getLogger("io.kopek.payment").warn("payment 42 declined by the provider");
        }

        JsonNode line = output.getOut()
                .lines()
                .filter(l -> l.startsWith("{") && l.contains("payment 42 declined"))
                .map(KibanaObjects.JSON::readTree)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line in:\n" + output.getOut()));
        assertThat(line.path("@timestamp").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        assertThat(line.path("log").path("level").asString()).isEqualTo("WARN");
        assertThat(line.path("log").path("logger").asString()).isEqualTo("io.kopek.payment");
        assertThat(line.path("message").asString()).isEqualTo("payment 42 declined by the provider");
        assertThat(line.path("service").path("name").asString()).isEqualTo("kopek");
        assertThat(line.path("ecs").path("version").asString()).isNotBlank();
    }
}
