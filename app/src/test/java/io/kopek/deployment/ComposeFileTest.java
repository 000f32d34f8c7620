package io.kopek.deployment;

import static io.kopek.deployment.DeploymentFiles.ROOT;
import static io.kopek.deployment.DeploymentFiles.at;
import static io.kopek.deployment.DeploymentFiles.list;
import static io.kopek.deployment.DeploymentFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml}, read as Compose reads it (YAML with its anchors and merge keys), held to what the
 * platform needs: every service of the design, an order of start-up that waits for health and for the one-shot
 * steps, no secret in the file, and every Kopek setting one that Kopek reads.
 */
class ComposeFileTest {

    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Set<String> ONE_SHOT = Set.of("migrate", "elasticsearch-init", "kibana-init");
    /** A variable or config tree file whose name says it holds a secret. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|secret|_key|api[-_.]key|token|credential).*");

    private final Map<String, Object> compose = DeploymentFiles.yaml(COMPOSE);
    private final Map<String, Object> services = map(compose.get("services"));

    @Test
    void namesEveryServiceThePlatformNeeds() {
        assertThat(services.keySet())
                .contains(
                        "postgres",
                        "migrate",
                        "api",
                        "batch",
                        "scheduler",
                        "proxy",
                        "elasticsearch",
                        "kibana",
                        "kibana-init",
                        "filebeat",
                        "rabbitmq",
                        "sftp",
                        "mailpit",
                        "sandbox");
        assertThat(replicas("api")).as("api replicas").isEqualTo(2);
        assertThat(replicas("batch")).as("batch workers").isEqualTo(2);
        assertThat(roles("api")).containsExactly("api");
        assertThat(roles("batch")).containsExactly("batch");
        assertThat(roles("scheduler"))
                .as("the scheduler fires the batch role's work")
                .contains("scheduler", "batch");
        assertThat(roles("migrate")).containsExactly("migrate");
        assertThat(String.valueOf(service("postgres").get("image"))).matches("postgres:(1[5-9]|[2-9][0-9]).*");
        assertThat(String.valueOf(service("elasticsearch").get("image"))).contains(":${ELASTIC_VERSION:-8.19.");
        assertThat(String.valueOf(service("kibana").get("image"))).contains(":${ELASTIC_VERSION:-8.19.");
    }

    @Test
    void kopekServicesRunTheProductionImageAndTheSandboxItsOwnTarget() {
        Set<String> stages = DockerfileTest.stageNames();
        for (String name : kopekServices()) {
            assertThat(at(service(name), "build").get("target")).as(name).isEqualTo("runtime");
        }
        assertThat(at(service("sandbox"), "build").get("target")).isEqualTo("sandbox");
        assertThat(stages).contains("runtime", "sandbox");
        assertThat(kopekServices()).containsExactlyInAnyOrder("migrate", "api", "batch", "scheduler");
    }

    @Test
    void everyDependencyExistsAndIsWaitedForByItsHealthOrItsCompletion() {
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            Object dependsOn = map(entry.getValue()).get("depends_on");
            assertThat(dependsOn)
                    .as(entry.getKey() + ": depends_on with conditions, not a bare list")
                    .satisfiesAnyOf(
                            d -> assertThat(d).isNull(), d -> assertThat(d).isInstanceOf(Map.class));
            map(dependsOn).forEach((target, spec) -> {
                assertThat(services)
                        .as(entry.getKey() + " depends on " + target)
                        .containsKey(target);
                String condition = String.valueOf(map(spec).get("condition"));
                if (ONE_SHOT.contains(target)) {
                    assertThat(condition)
                            .as(entry.getKey() + " → " + target)
                            .isEqualTo("service_completed_successfully");
                } else {
                    assertThat(condition).as(entry.getKey() + " → " + target).isEqualTo("service_healthy");
                    assertThat(service(target))
                            .as(target + " has a health check")
                            .containsKey("healthcheck");
                }
            });
        }
        for (String name : List.of("api", "batch", "scheduler")) {
            assertThat(map(service(name).get("depends_on")))
                    .as(name + " starts after the migrations")
                    .containsKey("migrate");
        }
        assertThat(map(service("kibana-init").get("depends_on"))).containsKey("kibana");
        assertThat(map(service("migrate").get("depends_on"))).containsKey("postgres");
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndOnlyTheOneShotsEnd() {
        for (String name : services.keySet()) {
            String restart = String.valueOf(service(name).get("restart"));
            if (ONE_SHOT.contains(name)) {
                assertThat(restart).as(name + " runs once").isEqualTo("no");
                assertThat(service(name)).as(name).doesNotContainKey("healthcheck");
            } else {
                assertThat(restart).as(name + " restarts").isEqualTo("unless-stopped");
                List<Object> test = list(at(service(name), "healthcheck").get("test"));
                assertThat(test).as(name + "'s health check").isNotEmpty();
                assertThat(String.valueOf(test.getFirst())).as(name).isIn("CMD", "CMD-SHELL");
            }
        }
    }

    @Test
    void holdsNoSecretOnlyReferencesToSecretFilesThatTheSecretsScriptMakesAndGitIgnores(@TempDir Path made)
            throws Exception {
        for (String name : services.keySet()) {
            environment(name).forEach((variable, value) -> {
                boolean notASecret = value.equals("true")
                        || value.equals("false")
                        || value.startsWith("/run/secrets")
                        || variable.endsWith("_FILE");
                if (SECRET_NAME.matcher(variable).matches() && !notASecret) {
                    assertThat(value)
                            .as(name + ": " + variable + " is a secret: from a file, or ${VARIABLE} at most")
                            .matches("\\$\\{[A-Z0-9_]+(:?[-?][^}]*)?}");
                }
                assertThat(value).as(name + ": " + variable).doesNotContainIgnoringCase("password=");
            });
        }
        Map<String, Object> secrets = map(compose.get("secrets"));
        assertThat(secrets).isNotEmpty();
        Set<String> files = new TreeSet<>();
        secrets.forEach((secret, spec) -> {
            String file = String.valueOf(map(spec).get("file"));
            assertThat(file).as(secret).startsWith("./secrets/");
            files.add(file.substring("./secrets/".length()));
        });
        assertThat(DeploymentFiles.read(ROOT.resolve(".gitignore")).lines())
                .as("secrets/ and .env are never committed")
                .contains("/secrets/", "/.env");
        assertThat(DeploymentFiles.read(ROOT.resolve(".dockerignore")).lines())
                .as("nor copied into an image")
                .contains("secrets/", ".env");

        Process script = new ProcessBuilder(
                        "bash", ROOT.resolve("deploy/make-secrets.sh").toString(), made.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor()).as(output).isZero();
        Set<String> madeFiles;
        try (var listing = Files.list(made)) {
            madeFiles = listing.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(madeFiles)
                .as("deploy/make-secrets.sh makes every secret file the compose file reads")
                .containsAll(files);
        assertThat(Files.readString(made.resolve("admin_key"))).matches("kpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(java.util.Base64.getDecoder().decode(Files.readString(made.resolve("webhooks_secret_key"))))
                .hasSize(32);
    }

    @Test
    void everySecretAServiceMountsIsDeclaredAndTheSandboxGetsTheVerySameFilesKopekDoes() {
        Set<String> declared = map(compose.get("secrets")).keySet();
        for (String name : services.keySet()) {
            for (Object secret : list(service(name).get("secrets"))) {
                String source = secret instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : secret.toString();
                assertThat(declared).as(name + " mounts " + source).contains(source);
            }
        }
        Map<String, String> kopek = secretTargets("api");
        secretTargets("sandbox")
                .forEach((target, source) -> assertThat(kopek.get(target))
                        .as("the sandbox's " + target + " is the file Kopek is given")
                        .isEqualTo(source));
    }

    @Test
    void everyKopekSettingIsOneThatKopekReads() {
        ConfigurationKeys keys = new ConfigurationKeys();
        for (String name : kopekServices()) {
            Map<String, String> settings = new LinkedHashMap<>();
            environment(name).forEach((variable, value) -> {
                if (variable.startsWith("KOPEK_") || variable.startsWith("SPRING_")) {
                    settings.put(variable, interpolated(value));
                }
            });
            assertThat(keys.unknown(settings, secretTargets(name).keySet()))
                    .as(
                            name
                                    + ": settings that no property of Kopek or Spring Boot takes (or that another setting shadows)")
                    .isEmpty();
        }
    }

    @Test
    void everyFileAServiceMountsIsInTheRepositoryAndTheProxySendsToComposeServices() {
        for (String name : services.keySet()) {
            for (Object volume : list(service(name).get("volumes"))) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source.substring(2)))
                            .as(name + " mounts " + source)
                            .exists();
                }
            }
        }
        String nginx = DeploymentFiles.read(ROOT.resolve("deploy/nginx.conf"));
        Matcher upstreamServer =
                Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+)").matcher(nginx);
        Set<String> upstreams = new LinkedHashSet<>();
        while (upstreamServer.find()) {
            upstreams.add(upstreamServer.group(1));
            assertThat(upstreamServer.group(2)).as("Kopek's port").isEqualTo("8080");
        }
        assertThat(upstreams).containsExactlyInAnyOrder("api", "scheduler");
        assertThat(list(service("proxy").get("volumes")))
                .anyMatch(v -> v.toString().startsWith("./deploy/nginx.conf:"));
        assertThat(list(service("filebeat").get("volumes")))
                .anyMatch(v -> v.toString().startsWith("./elk/filebeat/"));
        assertThat(list(service("kibana-init").get("volumes")))
                .anyMatch(v -> v.toString().startsWith("./elk:"));
        assertThat(Files.isExecutable(ROOT.resolve("elk/load-kibana.sh"))).isTrue();
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        for (String name : services.keySet()) {
            for (Object port : list(service(name).get("ports"))) {
                assertThat(port.toString()).as(name).startsWith("127.0.0.1:");
            }
        }
    }

    /** A value as Compose gives it with no .env: {@code ${NAME:-default}} its default, another variable a word. */
    private static String interpolated(String value) {
        return Pattern.compile("\\$\\{[A-Z0-9_]+(?::?-([^}]*))?[^}]*}")
                .matcher(value)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? m.group(1) : "set-in-env"));
    }

    private List<String> kopekServices() {
        return services.keySet().stream()
                .filter(n -> "runtime".equals(at(service(n), "build").get("target")))
                .toList();
    }

    private Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    private int replicas(String name) {
        return ((Number) at(service(name), "deploy").getOrDefault("replicas", 1)).intValue();
    }

    private List<String> roles(String name) {
        return List.of(environment(name).get("KOPEK_ROLES").split(","));
    }

    private Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        Object environment = service(name).get("environment");
        if (environment instanceof List<?> entries) {
            entries.forEach(
                    e -> env.put(e.toString().split("=", 2)[0], e.toString().split("=", 2)[1]));
        } else {
            map(environment).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }

    /** A service's secrets: the file name inside the container (its property) → the secret's name. */
    private Map<String, String> secretTargets(String name) {
        Map<String, String> targets = new LinkedHashMap<>();
        for (Object secret : list(service(name).get("secrets"))) {
            if (secret instanceof Map<?, ?> m) {
                targets.put(String.valueOf(m.get("target")), String.valueOf(m.get("source")));
            }
        }
        return targets;
    }
}
