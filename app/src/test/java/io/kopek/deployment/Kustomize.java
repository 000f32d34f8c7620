package io.kopek.deployment;

import static io.kopek.deployment.DeploymentFiles.list;
import static io.kopek.deployment.DeploymentFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kustomize build} does with the parts of Kustomize that {@code k8s/} uses, in Java (no kustomize binary
 * or library is to be had from the registries this project builds from): resources (files, and directories with a
 * kustomization of their own, built first), patches (strategic merge patches from files, applied to the resource of
 * the same kind and name, which must exist; JSON 6902 patches with a target), {@code images}, {@code labels} (pairs,
 * on the resources' own metadata) and {@code namespace}.
 *
 * <p>The strategic merge is the small part of Kubernetes' that these patches need: maps merged key by key, a null
 * removing a key, lists of named items (containers, env, volumes, ports...) merged by {@code name}, other lists
 * replaced. A patch that needs more (a directive, another merge key) fails here rather than merge wrongly.
 */
final class Kustomize {

    private Kustomize() {}

    static List<Map<String, Object>> build(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        assertThat(file).as("a kustomization in " + directory).isRegularFile();
        Map<String, Object> kustomization = DeploymentFiles.yaml(file);
        assertThat(kustomization.get("kind")).as(file.toString()).isEqualTo("Kustomization");
        assertThat(kustomization.keySet())
                .as(file + ": fields this build understands")
                .isSubsetOf("apiVersion", "kind", "namespace", "resources", "patches", "images", "labels");

        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object entry : list(kustomization.get("resources"))) {
            Path resource = directory.resolve(entry.toString()).normalize();
            assertThat(resource).as(file + " names " + entry).exists();
            if (Files.isDirectory(resource)) {
                resources.addAll(build(resource));
            } else {
                resources.addAll(DeploymentFiles.yamlDocuments(resource));
            }
        }
        for (Object entry : list(kustomization.get("patches"))) {
            Map<String, Object> patch = map(entry);
            if (patch.containsKey("path")) {
                Path patchFile = directory.resolve(patch.get("path").toString()).normalize();
                assertThat(patchFile)
                        .as(file + " names the patch " + patch.get("path"))
                        .isRegularFile();
                for (Map<String, Object> document : DeploymentFiles.yamlDocuments(patchFile)) {
                    Map<String, Object> target = find(resources, kind(document), name(document), patchFile);
                    assertThat(document.get("apiVersion"))
                            .as(patchFile + ": the apiVersion of " + kind(document) + " " + name(document))
                            .isEqualTo(target.get("apiVersion"));
                    merge(target, document);
                }
            } else {
                Map<String, Object> target = map(patch.get("target"));
                Map<String, Object> resource =
                        find(resources, (String) target.get("kind"), (String) target.get("name"), file);
                for (Object operation :
                        list(DeploymentFiles.yamlValue(patch.get("patch").toString()))) {
                    apply(resource, map(operation));
                }
            }
        }
        for (Object entry : list(kustomization.get("images"))) {
            Map<String, Object> image = map(entry);
            for (Map<String, Object> resource : resources) {
                for (Object container : containers(resource)) {
                    Map<String, Object> c = map(container);
                    if (imageName(String.valueOf(c.get("image"))).equals(image.get("name"))) {
                        c.put("image", image.getOrDefault("newName", image.get("name")) + ":" + image.get("newTag"));
                    }
                }
            }
        }
        for (Object entry : list(kustomization.get("labels"))) {
            Map<String, Object> labels = map(entry);
            assertThat(labels.get("includeSelectors"))
                    .as("labels on metadata only")
                    .isEqualTo(false);
            for (Map<String, Object> resource : resources) {
                Map<String, Object> metadata = map(resource.get("metadata"));
                Map<String, Object> existing = new LinkedHashMap<>(map(metadata.get("labels")));
                existing.putAll(map(labels.get("pairs")));
                metadata.put("labels", existing);
            }
        }
        if (kustomization.get("namespace") != null) {
            resources.forEach(r -> map(r.get("metadata")).put("namespace", kustomization.get("namespace")));
        }
        return resources;
    }

    static String kind(Map<String, Object> resource) {
        return String.valueOf(resource.get("kind"));
    }

    static String name(Map<String, Object> resource) {
        return String.valueOf(map(resource.get("metadata")).get("name"));
    }

    /** The pod template's containers of a Deployment or a Job; none for other kinds. */
    static List<Object> containers(Map<String, Object> resource) {
        if (!List.of("Deployment", "Job").contains(kind(resource))) {
            return List.of();
        }
        return list(
                map(map(map(resource.get("spec")).get("template")).get("spec")).get("containers"));
    }

    private static String imageName(String image) {
        int at = image.indexOf('@');
        String withoutDigest = at < 0 ? image : image.substring(0, at);
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name, Path by) {
        return resources.stream()
                .filter(r -> kind(r).equals(kind) && name(r).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(by + " patches " + kind + " " + name + ", which the base lacks"));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            assertThat(key).as("no patch directives").doesNotStartWith("$");
            Object existing = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> m && existing instanceof Map<?, ?> e) {
                merge((Map<String, Object>) e, (Map<String, Object>) m);
            } else if (value instanceof List<?> l && existing instanceof List<?> e && named(l) && named(e)) {
                List<Object> merged = new ArrayList<>((List<Object>) e);
                for (Object item : l) {
                    Map<String, Object> patchItem = (Map<String, Object>) item;
                    merged.stream()
                            .map(i -> (Map<String, Object>) i)
                            .filter(i -> i.get("name").equals(patchItem.get("name")))
                            .findFirst()
                            .ifPresentOrElse(i -> merge(i, patchItem), () -> merged.add(patchItem));
                }
                target.put(key, merged);
            } else {
                target.put(key, value);
            }
        });
    }

    private static boolean named(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.containsKey("name"));
    }

    /** A JSON 6902 operation: add, replace or remove, at a path of keys and list indices. */
    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> resource, Map<String, Object> operation) {
        String op = String.valueOf(operation.get("op"));
        String[] path = String.valueOf(operation.get("path")).substring(1).split("/");
        Object parent = resource;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent instanceof List<?> l
                    ? l.get(Integer.parseInt(path[i]))
                    : map(parent).get(path[i]);
            assertThat(parent).as(operation + ": " + path[i] + " exists").isNotNull();
        }
        String last = path[path.length - 1];
        Object value = operation.get("value");
        if (parent instanceof List<?> l) {
            List<Object> items = (List<Object>) l;
            switch (op) {
                case "add" -> items.add(last.equals("-") ? items.size() : Integer.parseInt(last), value);
                case "replace" -> items.set(Integer.parseInt(last), value);
                case "remove" -> items.remove(Integer.parseInt(last));
                default -> throw new AssertionError("unsupported operation " + op);
            }
        } else {
            Map<String, Object> m = map(parent);
            switch (op) {
                case "add" -> m.put(last, value);
                case "replace" -> {
                    assertThat(m).as(operation + " replaces what exists").containsKey(last);
                    m.put(last, value);
                }
                case "remove" -> m.remove(last);
                default -> throw new AssertionError("unsupported operation " + op);
            }
        }
    }
}
