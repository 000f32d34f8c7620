package io.kopek.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which settings Kopek reads, to hold the deployment files to them: an environment variable ({@code KOPEK_...},
 * {@code SPRING_...}) or a config tree's file name ({@code spring.datasource.password}) that no property takes is a
 * setting that silently does nothing. Kopek's own are found by binding the deployment's values to every
 * {@code @ConfigurationProperties} type of {@code io.kopek} (and the two bound by hand), recording which values were
 * taken; the keys of {@code application.yml} and its {@code ${VARIABLE}} placeholders count too; Spring Boot's through
 * the configuration metadata its jars carry.
 */
final class ConfigurationKeys {

    /**
     * Groups whose module another branch of issue 19 brings (the reconciliation's remote partitions over RabbitMQ add
     * Spring Boot's AMQP support): accepted only while their metadata is not on the class path, checked like any other
     * once it is. Remove an entry once its module has landed.
     */
    static final Set<String> BROUGHT_BY_PENDING_MODULES = Set.of("spring.rabbitmq");

    /** Types Kopek binds by hand (a Binder, not {@code @ConfigurationProperties}): prefix → type, map of types. */
    private static final Map<String, Bindable<?>> BOUND_BY_HAND = boundByHand();

    private final Set<String> bootNames = new LinkedHashSet<>();
    private final Set<String> bootMapPrefixes = new LinkedHashSet<>();
    private final Set<String> placeholders = new LinkedHashSet<>();
    private final Set<String> applicationYmlKeys = new LinkedHashSet<>();
    /** Keys of application.yml whose value is an empty map or list: entries under them are the operator's. */
    private final Set<String> applicationYmlOpenKeys = new LinkedHashSet<>();

    private final List<Class<?>> kopekTypes = new ArrayList<>();

    ConfigurationKeys() {
        readBootMetadata();
        readApplicationYml();
        kopekTypes.addAll(configurationPropertiesTypes());
    }

    /**
     * The settings of {@code variables} (environment variables) and {@code files} (a config tree's file names, dotted
     * property names) that nothing reads.
     */
    Set<String> unknown(Map<String, String> variables, Set<String> files) {
        Set<String> taken = takenByKopekTypes(variables, files);
        Set<String> unknown = new LinkedHashSet<>();
        for (String variable : variables.keySet()) {
            if (!taken.contains(variable) && !placeholders.contains(variable) && !known(envToDotted(variable))) {
                unknown.add(variable);
            }
        }
        for (String file : files) {
            if (!taken.contains(file) && !placeholders.contains(file) && !known(canonical(file))) {
                unknown.add(file);
            }
        }
        return unknown;
    }

    /** Whether Spring Boot's metadata knows the group (to tell when a pending module has landed). */
    boolean bootKnows(String group) {
        return bootNames.stream().anyMatch(n -> n.startsWith(group + "."));
    }

    /** A dotted name for an environment variable (compared with dashes and dots alike: see {@link #flat}). */
    private static String envToDotted(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String canonical(String dotted) {
        return ConfigurationPropertyName.adapt(dotted, '.').toString();
    }

    /** Known to application.yml or Spring Boot's metadata, in the env form (dots for dashes) or dotted. */
    private boolean known(String name) {
        String flat = flat(name);
        if (applicationYmlKeys.stream().anyMatch(k -> flat(k).equals(flat))
                || bootNames.stream().anyMatch(k -> flat(k).equals(flat))) {
            return true;
        }
        List<String> open = new ArrayList<>(applicationYmlOpenKeys);
        open.addAll(bootMapPrefixes);
        BROUGHT_BY_PENDING_MODULES.stream().filter(g -> !bootKnows(g)).forEach(open::add);
        return open.stream()
                .anyMatch(prefix -> flat.startsWith(flat(prefix))
                        && flat.length() > flat(prefix).length());
    }

    /** Dashes and dots alike: {@code secret-key}, {@code secret.key} and {@code secretkey} are one for Spring. */
    private static String flat(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace(".", "");
    }

    /** Which variables and files the binding of Kopek's configuration types took a value from. */
    private Set<String> takenByKopekTypes(Map<String, String> variables, Set<String> files) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new TrackedEnvironment(new HashMap<>(variables)));
        Map<String, Object> tree = new HashMap<>();
        files.forEach(f -> tree.put(f, "x"));
        sources.addLast(new TrackedMap(tree));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources));
        Set<String> taken = new LinkedHashSet<>();
        AbstractBindHandler recorder = new AbstractBindHandler() {
            @Override
            public Object onSuccess(
                    ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
                ConfigurationProperty property = context.getConfigurationProperty();
                if (property != null) {
                    Origin origin = property.getOrigin();
                    if (origin != null) {
                        taken.add(origin.toString());
                    }
                }
                return super.onSuccess(name, target, context, result);
            }
        };
        for (Class<?> type : kopekTypes) {
            String prefix = MergedAnnotations.from(type)
                    .get(ConfigurationProperties.class)
                    .getString("prefix");
            bindQuietly(binder, prefix, Bindable.of(type), recorder);
        }
        BOUND_BY_HAND.forEach((prefix, bindable) -> bindQuietly(binder, prefix, bindable, recorder));
        return taken;
    }

    private static void bindQuietly(Binder binder, String prefix, Bindable<?> bindable, AbstractBindHandler handler) {
        try {
            binder.bind(prefix, bindable, handler);
        } catch (RuntimeException incomplete) {
            // a type whose constructor refuses what this partial configuration gives: what it took is recorded
        }
    }

    /** A value's origin named by the key it came from: the variable or file the recorder tells as taken. */
    private static Origin originNamed(String key) {
        return new Origin() {
            @Override
            public String toString() {
                return key;
            }
        };
    }

    /** Variables as the environment's (Spring's relaxed mapping applies to this source's name), each its origin. */
    private static final class TrackedEnvironment extends SystemEnvironmentPropertySource
            implements OriginLookup<String> {
        TrackedEnvironment(Map<String, Object> variables) {
            super(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables);
        }

        @Override
        public Origin getOrigin(String key) {
            return originNamed(key);
        }
    }

    /** A config tree's files by name, each its origin. */
    private static final class TrackedMap extends MapPropertySource implements OriginLookup<String> {
        TrackedMap(Map<String, Object> files) {
            super("configtree", files);
        }

        @Override
        public Origin getOrigin(String key) {
            return originNamed(key);
        }
    }

    private static List<Class<?>> configurationPropertiesTypes() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isIndependent();
            }
        };
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> types = new ArrayList<>();
        for (BeanDefinition definition : scanner.findCandidateComponents("io.kopek")) {
            try {
                types.add(Class.forName(definition.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    private static Map<String, Bindable<?>> boundByHand() {
        try {
            return Map.of(
                    "kopek.generic-processors",
                    Bindable.mapOf(String.class, Class.forName("io.kopek.provider.generic.GenericProcessorProperties")),
                    "kopek.providers.sber.registry",
                    Bindable.of(Class.forName("io.kopek.provider.registry.RegistrySettings")));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a type Kopek binds by hand has moved: " + e.getMessage(), e);
        }
    }

    private void readBootMetadata() {
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files =
                    getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    JsonNode metadata = json.readTree(in);
                    for (JsonNode property : metadata.path("properties")) {
                        String name = property.path("name").asString();
                        bootNames.add(name);
                        if (property.path("type").asString("").startsWith("java.util.Map<")) {
                            bootMapPrefixes.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readApplicationYml() {
        String text = DeploymentFiles.read(DeploymentFiles.ROOT.resolve("app/src/main/resources/application.yml"));
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        flatten("", DeploymentFiles.yamlValue(text));
    }

    private void flatten(String prefix, Object value) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v));
        } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
            applicationYmlOpenKeys.add(prefix);
        } else {
            applicationYmlKeys.add(prefix);
        }
    }
}
