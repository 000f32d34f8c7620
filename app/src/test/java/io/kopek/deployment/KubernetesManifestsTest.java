package io.kopek.deployment;

import static io.kopek.deployment.DeploymentFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each overlay of {@code k8s/}, built as {@code kubectl apply -k} would build it ({@link Kustomize}), loaded into
 * the Kubernetes object model (fabric8) with no field left unknown, and held to what running Kopek needs: probes on
 * Actuator, requests and limits, a non-root read-only container, the pod's name where the scheduler and the batch
 * worker need it, a NetworkPolicy per role, a grace period longer than a batch run's stop, the api's Service, HPA and
 * PDB on the api's pods, and the overlays' own differences (prod: migration by the Job alone; dev: small, migrating).
 */
class KubernetesManifestsTest {

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Where the Kopek settings of the ConfigMap and the Secret's keys come from. */
    private static final String SECRETS = "kopek-secrets";

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyManifestLoadsIntoTheKubernetesModelWithNoUnknownField(String overlay) {
        List<HasMetadata> objects = build(overlay);
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains(
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "NetworkPolicy",
                        "Job",
                        "ConfigMap",
                        "Ingress",
                        "PersistentVolumeClaim",
                        "ServiceAccount")
                .doesNotContain("Secret"); // the operator creates it, with the values
        for (HasMetadata object : objects) {
            assertThat(unknownFields(
                            object,
                            object.getKind() + " " + object.getMetadata().getName()))
                    .as("fields the Kubernetes model does not know (a typo, or the wrong level)")
                    .isEmpty();
            assertThat(object.getMetadata().getNamespace()).isEqualTo(overlay.equals("prod") ? "kopek" : "kopek-dev");
            assertThat(object.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "kopek");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyKopekPodProbesActuatorHasRequestsAndLimitsAndRunsAsTheImagesNonRootUserReadOnly(String overlay) {
        List<HasMetadata> objects = build(overlay);
        String image = deployment(objects, "kopek-api")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getImage();
        assertThat(image).as("the overlay's image").startsWith("registry.example.org/kopek/kopek:");
        Map<String, PodTemplateSpec> pods = pods(objects);
        assertThat(pods.keySet())
                .containsExactlyInAnyOrder("kopek-api", "kopek-batch", "kopek-scheduler", "kopek-migrate");
        pods.forEach((name, pod) -> {
            PodSpec spec = pod.getSpec();
            assertThat(spec.getContainers()).as(name).hasSize(1);
            Container kopek = spec.getContainers().getFirst();
            assertThat(kopek.getImage()).as(name + " runs the same image").isEqualTo(image);
            assertThat(kopek.getResources().getRequests())
                    .as(name + " requests")
                    .containsKeys("cpu", "memory");
            assertThat(kopek.getResources().getLimits()).as(name + " limits").containsKeys("cpu", "memory");
            assertThat(Quantity.getAmountInBytes(
                            kopek.getResources().getRequests().get("memory")))
                    .as(name + ": memory requested is the limit (the JVM sizes its heap from the limit)")
                    .isEqualTo(Quantity.getAmountInBytes(
                            kopek.getResources().getLimits().get("memory")));
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(spec.getSecurityContext().getRunAsUser())
                    .as(name + ": the image's user")
                    .isEqualTo((long) DockerfileTest.uid());
            assertThat(kopek.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(name)
                    .isTrue();
            assertThat(kopek.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(name)
                    .isFalse();
            assertThat(kopek.getSecurityContext().getCapabilities().getDrop())
                    .as(name)
                    .containsExactly("ALL");
            assertThat(kopek.getVolumeMounts())
                    .as(name + ": a writable /tmp on an emptyDir")
                    .anyMatch(m -> m.getMountPath().equals("/tmp")
                            && spec.getVolumes().stream()
                                    .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
            assertThat(
                            spec.getAutomountServiceAccountToken() == null
                                    ? serviceAccountMounts(objects, spec)
                                    : spec.getAutomountServiceAccountToken())
                    .as(name + ": no Kubernetes API token")
                    .isFalse();
            assertThat(kopek.getEnvFrom())
                    .as(name)
                    .anyMatch(e -> e.getConfigMapRef() != null
                            && e.getConfigMapRef().getName().equals("kopek-config"));
            assertThat(spec.getVolumes())
                    .as(name + ": the operator's Secret, by reference, as a config tree")
                    .anyMatch(v -> v.getSecret() != null
                            && v.getSecret().getSecretName().equals(SECRETS));
            assertThat(kopek.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/run/secrets/kopek"));
            if (!name.equals("kopek-migrate")) {
                int port = kopek.getPorts().stream()
                        .filter(p -> "http".equals(p.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getContainerPort();
                assertThat(port).isEqualTo(8080);
                assertProbe(name, "startup", kopek.getStartupProbe(), "/actuator/health/liveness");
                assertProbe(name, "liveness", kopek.getLivenessProbe(), "/actuator/health/liveness");
                assertProbe(name, "readiness", kopek.getReadinessProbe(), "/actuator/health/readiness");
                assertThat(kopek.getVolumeMounts())
                        .as(name + ": the report files every api and batch pod shares")
                        .anyMatch(m -> m.getMountPath().equals("/var/lib/kopek/reports"));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void rolesArePlayedAsDesignedAndThePodsNameIsTheSchedulersInstanceIdAndTheBatchWorkersName(String overlay) {
        List<HasMetadata> objects = build(overlay);
        assertThat(roles(deployment(objects, "kopek-api"))).containsExactly("api");
        assertThat(roles(deployment(objects, "kopek-batch"))).containsExactly("batch");
        assertThat(roles(deployment(objects, "kopek-scheduler")))
                .as("the scheduler fires the batch role's work; job control starts runs here")
                .contains("scheduler", "batch");
        assertThat(roles(job(objects))).containsExactly("migrate");
        for (String name : List.of("kopek-batch", "kopek-scheduler")) {
            assertThat(podNameEnv(deployment(objects, name), "KOPEK_BATCH_WORKER_NAME"))
                    .as(name)
                    .isTrue();
        }
        assertThat(podNameEnv(deployment(objects, "kopek-scheduler"), "KOPEK_SCHEDULER_INSTANCE_ID"))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void aStoppingPodIsGivenLongerThanItsRunsAndRequestsNeedToStop(String overlay) {
        List<HasMetadata> objects = build(overlay);
        Map<String, String> config = configMap(objects).getData();
        Duration runs = DurationStyle.detectAndParse(config.get("KOPEK_BATCH_STOP_TIMEOUT"));
        Duration phase = DurationStyle.detectAndParse(config.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        for (String name : List.of("kopek-batch", "kopek-scheduler")) {
            long grace =
                    deployment(objects, name).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertThat(Duration.ofSeconds(grace))
                    .as(name + ": its runs' stop, then the web server's graceful phase")
                    .isGreaterThan(runs.plus(phase));
        }
        Deployment api = deployment(objects, "kopek-api");
        Container container =
                api.getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop.getFirst()).isEqualTo("sleep");
        assertThat(Duration.ofSeconds(api.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()))
                .as("kopek-api: the preStop pause, then the graceful phase")
                .isGreaterThan(phase.plusSeconds(Long.parseLong(preStop.get(1))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApisServiceAutoscalerAndDisruptionBudgetAllSelectTheApisPods(String overlay) {
        List<HasMetadata> objects = build(overlay);
        Deployment api = deployment(objects, "kopek-api");
        Map<String, String> podLabels =
                api.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(api.getSpec().getSelector().getMatchLabels());

        Service service = one(objects, Service.class, "kopek-api");
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getStrVal())
                .isEqualTo("http");

        HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class, "kopek-api");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("kopek-api");
        assertThat(hpa.getSpec().getMinReplicas())
                .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMetrics()).isNotEmpty();

        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class, "kopek-api");
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable() == null ^ pdb.getSpec().getMaxUnavailable() == null)
                .as("one of minAvailable and maxUnavailable")
                .isTrue();

        Service operations = one(objects, Service.class, "kopek-operations");
        assertThat(deployment(objects, "kopek-scheduler")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .containsAllEntriesOf(operations.getSpec().getSelector());
        Ingress ingress = one(objects, Ingress.class, "kopek");
        List<String> backends = ingress.getSpec().getRules().stream()
                .flatMap(r -> r.getHttp().getPaths().stream())
                .map(p -> p.getPath() + " " + p.getBackend().getService().getName())
                .toList();
        assertThat(backends)
                .contains("/ kopek-api", "/api/v1/jobs kopek-operations", "/api/v1/job-runs kopek-operations");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachRoleHasANetworkPolicyAllowingOnlyWhatItNeedsBehindADefaultDeny(String overlay) {
        List<HasMetadata> objects = build(overlay);
        List<NetworkPolicy> policies = all(objects, NetworkPolicy.class);
        NetworkPolicy deny = policies.stream()
                .filter(p -> p.getMetadata().getName().equals("kopek-default-deny"))
                .findFirst()
                .orElseThrow();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isEmpty();
        assertThat(deny.getSpec().getEgress()).isEmpty();
        Map<String, Set<Integer>> egress = new LinkedHashMap<>();
        Map<String, Boolean> ingressFromController = new LinkedHashMap<>();
        pods(objects).forEach((name, pod) -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            assertThat(labels)
                    .as(name)
                    .containsAllEntriesOf(deny.getSpec().getPodSelector().getMatchLabels());
            List<NetworkPolicy> own = policies.stream()
                    .filter(p ->
                            p.getSpec().getPodSelector().getMatchLabels().containsKey("app.kubernetes.io/component"))
                    .filter(p -> labels.entrySet()
                            .containsAll(p.getSpec()
                                    .getPodSelector()
                                    .getMatchLabels()
                                    .entrySet()))
                    .toList();
            assertThat(own).as(name + "'s own policy").hasSize(1);
            Set<Integer> ports = new java.util.TreeSet<>();
            own.getFirst()
                    .getSpec()
                    .getEgress()
                    .forEach(rule ->
                            rule.getPorts().forEach(p -> ports.add(p.getPort().getIntVal())));
            egress.put(name, ports);
            ingressFromController.put(
                    name,
                    own.getFirst().getSpec().getIngress().stream()
                            .anyMatch(rule -> rule.getFrom().stream()
                                    .anyMatch(f -> f.getNamespaceSelector() != null
                                            && "ingress-nginx"
                                                    .equals(f.getNamespaceSelector()
                                                            .getMatchLabels()
                                                            .get("kubernetes.io/metadata.name")))));
        });
        assertThat(egress.get("kopek-migrate")).as("migrate: PostgreSQL only").containsExactly(5432);
        assertThat(egress.get("kopek-api"))
                .as("api: PostgreSQL and the providers")
                .containsExactlyInAnyOrder(5432, 443);
        assertThat(egress.get("kopek-batch"))
                .as("batch: PostgreSQL, RabbitMQ, SFTP, HTTPS (ATOL, providers, webhooks), SMTP, Elasticsearch")
                .contains(5432, 5672, 22, 443, 587, 9200);
        assertThat(egress.get("kopek-scheduler")).containsAll(egress.get("kopek-batch"));
        assertThat(ingressFromController)
                .containsEntry("kopek-api", true)
                .containsEntry("kopek-scheduler", true)
                .containsEntry("kopek-batch", false)
                .containsEntry("kopek-migrate", false);
        assertThat(policies).anyMatch(p -> p.getMetadata().getName().equals("kopek-dns"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySettingOfTheConfigMapIsOneThatKopekReads(String overlay) {
        ConfigMap config = configMap(build(overlay));
        assertThat(new ConfigurationKeys().unknown(config.getData(), Set.of()))
                .as("ConfigMap settings that no property of Kopek or Spring Boot takes")
                .isEmpty();
        assertThat(config.getData().get("SPRING_CONFIG_IMPORT")).contains("configtree:/run/secrets/kopek/");
        assertThat(config.getData().keySet())
                .as("no secret in the ConfigMap")
                .noneMatch(k -> k.matches("(?i).*(PASSWORD|SECRET|_KEY)$"));
    }

    @org.junit.jupiter.api.Test
    void prodMigratesByTheJobAloneAndItsPodsWaitForItWithinTheirStartupProbe() {
        List<HasMetadata> objects = build("prod");
        Map<String, String> config = configMap(objects).getData();
        assertThat(config).containsEntry("SPRING_FLYWAY_ENABLED", "false");
        Job migrate = job(objects);
        assertThat(migrate.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(migrate.getSpec().getBackoffLimit()).isPositive();
        Duration await = DurationStyle.detectAndParse(config.get("KOPEK_MIGRATIONS_AWAIT"));
        assertThat(await).as("the pods wait for the Job").isPositive();
        for (Deployment deployment : all(objects, Deployment.class)) {
            Probe startup = deployment
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getStartupProbe();
            assertThat(Duration.ofSeconds((long) startup.getPeriodSeconds() * startup.getFailureThreshold()))
                    .as(deployment.getMetadata().getName() + ": the startup probe outlasts the wait for the migrations")
                    .isGreaterThan(await.plusMinutes(1));
        }
        assertThat(deployment(objects, "kopek-api").getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(one(objects, HorizontalPodAutoscaler.class, "kopek-api")
                        .getSpec()
                        .getMinReplicas())
                .isGreaterThanOrEqualTo(3);
        assertThat(deployment(objects, "kopek-api")
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .as("old pods serve until new ones are ready")
                .isZero();
        assertThat(one(objects, Ingress.class, "kopek").getSpec().getTls()).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void devIsOnePodOfEachThatMigratesAtItsStart() {
        List<HasMetadata> objects = build("dev");
        assertThat(configMap(objects).getData()).containsEntry("SPRING_FLYWAY_ENABLED", "true");
        for (Deployment deployment : all(objects, Deployment.class)) {
            assertThat(deployment.getSpec().getReplicas())
                    .as(deployment.getMetadata().getName())
                    .isEqualTo(1);
        }
        assertThat(one(objects, HorizontalPodAutoscaler.class, "kopek-api")
                        .getSpec()
                        .getMinReplicas())
                .isEqualTo(1);
    }

    // ---- the build and the object model

    private static List<HasMetadata> build(String overlay) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> resource : Kustomize.build(ROOT.resolve(Path.of("k8s", "overlays", overlay)))) {
            Object typed = KUBERNETES.unmarshal(JSON.writeValueAsString(resource));
            assertThat(typed)
                    .as(Kustomize.kind(resource) + " " + Kustomize.name(resource) + " has a model class")
                    .isInstanceOf(HasMetadata.class)
                    .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            objects.add((HasMetadata) typed);
        }
        return objects;
    }

    /** Every non-empty {@code additionalProperties} in the object graph: fields the model does not have. */
    private static List<String> unknownFields(Object root, String where) {
        List<String> unknown = new ArrayList<>();
        walk(root, where, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object value, String where, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, where + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, where + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(where + ": " + extra.keySet());
                }
            } else {
                walk(
                        field,
                        where + "." + getter.getName().substring(3, 4).toLowerCase()
                                + getter.getName().substring(4),
                        unknown,
                        seen);
            }
        }
    }

    private static void assertProbe(String pod, String kind, Probe probe, String path) {
        assertThat(probe).as(pod + " " + kind + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(pod + " " + kind + " probe").isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal())
                .as(pod + " " + kind + " probe's port")
                .isEqualTo("http");
    }

    private static Map<String, PodTemplateSpec> pods(List<HasMetadata> objects) {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        all(objects, Deployment.class)
                .forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        all(objects, Job.class)
                .forEach(j -> pods.put(j.getMetadata().getName(), j.getSpec().getTemplate()));
        return pods;
    }

    private static boolean serviceAccountMounts(List<HasMetadata> objects, PodSpec spec) {
        return one(objects, io.fabric8.kubernetes.api.model.ServiceAccount.class, spec.getServiceAccountName())
                .getAutomountServiceAccountToken();
    }

    private static List<String> roles(Deployment deployment) {
        return roles(deployment.getSpec().getTemplate());
    }

    private static List<String> roles(Job job) {
        return roles(job.getSpec().getTemplate());
    }

    private static List<String> roles(PodTemplateSpec pod) {
        return List.of(env(pod, "KOPEK_ROLES").orElseThrow().getValue().split(","));
    }

    private static boolean podNameEnv(Deployment deployment, String variable) {
        return env(deployment.getSpec().getTemplate(), variable)
                .map(e -> e.getValueFrom() != null
                        && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath()))
                .orElse(false);
    }

    private static Optional<EnvVar> env(PodTemplateSpec pod, String name) {
        return pod.getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst();
    }

    private static Deployment deployment(List<HasMetadata> objects, String name) {
        return one(objects, Deployment.class, name);
    }

    private static Job job(List<HasMetadata> objects) {
        return one(objects, Job.class, "kopek-migrate");
    }

    private static ConfigMap configMap(List<HasMetadata> objects) {
        return one(objects, ConfigMap.class, "kopek-config");
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
