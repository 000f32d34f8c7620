package io.kopek.deployment;

import static io.kopek.deployment.DeploymentFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The root {@code Dockerfile}, parsed into its instructions and stages: a build stage, a production stage that runs
 * {@code kopek-exec.jar} as a fixed non-root user with java itself as the process that gets SIGTERM, a health check,
 * and the sandbox's own target; no demo in the production image.
 */
class DockerfileTest {

    /** One instruction: its keyword, its flags ({@code --from=build}) and the rest of its line. */
    record Instruction(String keyword, List<String> flags, String arguments) {

        /** The arguments of an exec-form instruction (a JSON array), or null for the shell form. */
        List<String> execForm() {
            String json = arguments.strip();
            if (keyword.equals("HEALTHCHECK")) {
                json = json.replaceFirst("^CMD\\s+", "");
            }
            if (!json.startsWith("[")) {
                return null;
            }
            return List.of(JsonMapper.builder().build().readValue(json, String[].class));
        }
    }

    record Stage(String name, String base, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .toList();
        }

        Instruction last(String keyword) {
            List<Instruction> found = all(keyword);
            assertThat(found).as(name + " has " + keyword).isNotEmpty();
            return found.getLast();
        }
    }

    private final List<Stage> stages = parse(DeploymentFiles.read(ROOT.resolve("Dockerfile")));

    @Test
    void isMultiStageWithTheProductionImageLastAndTheSandboxAsATargetOfItsOwn() {
        assertThat(stages.stream().map(Stage::name)).contains("build", "sandbox", "runtime");
        assertThat(stages.getLast().name())
                .as("docker build . makes the production image")
                .isEqualTo("runtime");
        assertThat(stage("build").base()).isEqualTo("${JDK_IMAGE}");
        assertThat(stage("runtime").base()).isEqualTo("${JRE_IMAGE}");
        assertThat(stages.getFirst().instructions()).isEmpty(); // node, copied from only
        assertThat(argDefault("JDK_IMAGE")).startsWith("eclipse-temurin:25-jdk");
        assertThat(argDefault("JRE_IMAGE")).startsWith("eclipse-temurin:25-jre");
    }

    @Test
    void theBuildStageBuildsTheConsoleAndTheProductionJarAndNodeIsThereForIt() {
        Stage build = stage("build");
        assertThat(build.all("COPY"))
                .anyMatch(
                        c -> c.flags().contains("--from=node") && c.arguments().startsWith("/usr/local/bin/node "));
        List<String> runs =
                build.all("RUN").stream().map(Instruction::arguments).toList();
        assertThat(runs)
                .anyMatch(r -> r.contains("./mvnw")
                        && r.contains(" package ")
                        && r.contains("-pl app,demo")
                        && r.contains("-Dconsole.skip=false")
                        && r.contains("-DskipTests"));
        assertThat(runs).anyMatch(r -> r.contains("-Djarmode=tools -jar app/target/kopek-exec.jar extract --layers"));
    }

    @Test
    void theProductionImageRunsKopekExecJarAsAFixedNonRootUserWithJavaAsTheProcessThatGetsSigterm() {
        Stage runtime = stage("runtime");
        String user = runtime.last("USER").arguments().strip();
        assertThat(user)
                .as("a numeric uid:gid, so that Kubernetes' runAsNonRoot can check it")
                .matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.split(":")[0])).isGreaterThanOrEqualTo(10000);
        assertThat(uid()).isEqualTo(Integer.parseInt(user.split(":")[0]));

        List<String> entrypoint = runtime.last("ENTRYPOINT").execForm();
        assertThat(entrypoint)
                .as("exec form: java is PID 1 and receives SIGTERM")
                .isNotNull();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
        assertThat(entrypoint.get(entrypoint.indexOf("-jar") + 1)).isEqualTo("/opt/kopek/kopek-exec.jar");
        assertThat(runtime.all("CMD")).as("arguments are the operator's").isEmpty();

        List<Instruction> copies = runtime.all("COPY");
        assertThat(copies.stream().filter(c -> c.flags().contains("--from=build")))
                .extracting(Instruction::arguments)
                .allMatch(a -> a.startsWith("/out/kopek/"))
                .anyMatch(a -> a.startsWith("/out/kopek/application/"));
        assertThat(copies).noneMatch(c -> c.arguments().toLowerCase(Locale.ROOT).contains("demo"));
        assertThat(runtime.all("EXPOSE")).extracting(Instruction::arguments).containsExactly("8080");
    }

    @Test
    void theProductionImageChecksItsReadinessWithoutAJvmOrATool() {
        Instruction check = stage("runtime").last("HEALTHCHECK");
        assertThat(check.flags()).anyMatch(f -> f.startsWith("--start-period="));
        List<String> command = check.execForm();
        assertThat(command).containsExactly("/usr/local/bin/kopek-healthcheck");
        assertThat(stage("runtime").all("COPY"))
                .anyMatch(c -> c.arguments().equals("deploy/docker/healthcheck /usr/local/bin/kopek-healthcheck"));
        assertThat(Files.isExecutable(ROOT.resolve("deploy/docker/healthcheck")))
                .isTrue();
        assertThat(DeploymentFiles.read(ROOT.resolve("deploy/docker/healthcheck"))
                        .lines()
                        .findFirst())
                .hasValue("#!/bin/bash");
    }

    @Test
    void theSandboxTargetRunsTheDemoJarsSandboxServerAsANonRootUser() {
        Stage sandbox = stage("sandbox");
        assertThat(sandbox.last("USER").arguments().strip())
                .matches("\\d+:\\d+")
                .doesNotStartWith("0:");
        List<String> entrypoint = sandbox.last("ENTRYPOINT").execForm();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint)
                .contains(
                        "-Dloader.main=io.kopek.demo.SandboxServer",
                        "org.springframework.boot.loader.launch.PropertiesLauncher");
        assertThat(ROOT.resolve("demo/src/main/java/io/kopek/demo/SandboxServer.java"))
                .isRegularFile();
        assertThat(sandbox.last("HEALTHCHECK").execForm()).isNotNull();
    }

    @Test
    void theBuildContextLeavesOutWhatWasBuiltHereAndEverySecret() {
        assertThat(DeploymentFiles.read(ROOT.resolve(".dockerignore")).lines())
                .contains(".git", "**/target/", "**/node_modules/", "secrets/", ".env");
    }

    /** The production image's user id, for the Kubernetes manifests to agree with. */
    static int uid() {
        Stage runtime = parse(DeploymentFiles.read(ROOT.resolve("Dockerfile"))).getLast();
        return Integer.parseInt(runtime.last("USER").arguments().strip().split(":")[0]);
    }

    static Set<String> stageNames() {
        Set<String> names = new LinkedHashSet<>();
        parse(DeploymentFiles.read(ROOT.resolve("Dockerfile"))).forEach(s -> names.add(s.name()));
        return names;
    }

    private Stage stage(String name) {
        return stages.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    private String argDefault(String name) {
        return parseInstructions(DeploymentFiles.read(ROOT.resolve("Dockerfile"))).stream()
                .filter(i -> i.keyword().equals("ARG") && i.arguments().startsWith(name + "="))
                .map(i -> i.arguments().substring(name.length() + 1))
                .findFirst()
                .orElseThrow();
    }

    /** Stages in order; instructions before the first FROM (ARGs) belong to none. */
    static List<Stage> parse(String dockerfile) {
        List<Stage> stages = new ArrayList<>();
        for (Instruction i : parseInstructions(dockerfile)) {
            if (i.keyword().equals("FROM")) {
                String[] words = i.arguments().strip().split("\\s+");
                assertThat(words).as("FROM <image> AS <name>: " + i.arguments()).hasSize(3);
                assertThat(words[1]).isEqualToIgnoringCase("AS");
                stages.add(new Stage(words[2], words[0], new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.getLast().instructions().add(i);
            }
        }
        return stages;
    }

    /** Instructions with their continuation lines joined and comments (and the parser directive) left out. */
    static List<Instruction> parseInstructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String stripped = line.strip();
            if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && stripped.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            instructions.add(instruction(current.toString()));
            current.setLength(0);
        }
        assertThat(current.toString()).as("an instruction left unfinished").isEmpty();
        return instructions;
    }

    private static Instruction instruction(String text) {
        String[] parts = text.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1] : "";
        List<String> flags = new ArrayList<>();
        while (rest.startsWith("--")) {
            String[] flag = rest.split("\\s+", 2);
            flags.add(flag[0]);
            rest = flag.length > 1 ? flag[1] : "";
        }
        return new Instruction(keyword, flags, rest);
    }
}
