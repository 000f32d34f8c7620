package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import io.kopek.outbox.Outbox;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * {@code docs/events.md} is the contract that webhooks and the search index publish: its table of events is the
 * catalogue of every {@link EventType} record in the application, with each payload field and its JSON type, so an
 * event cannot be added, renamed or changed without the document saying so. On a difference the test writes the
 * table it expects to {@code target/events-table.md}.
 */
class EventCatalogueTest {

    private static final Path DOC = Path.of("..", "docs", "events.md");
    private static final String BEGIN = "<!-- catalogue: generated from the records by EventCatalogueTest -->";
    private static final String END = "<!-- end of catalogue -->";

    @Test
    void docsEventsListsEveryEventWithItsPayload() throws IOException {
        List<Class<?>> events = events();
        String expected = table(events);
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        String documented = begin < 0 || end < begin
                ? ""
                : doc.substring(begin + BEGIN.length(), end).strip();
        if (!documented.equals(expected.strip())) {
            Files.writeString(Path.of("target", "events-table.md"), BEGIN + "\n" + expected + END + "\n");
        }

        assertThat(events).hasSizeGreaterThanOrEqualTo(20);
        assertThat(documented)
                .as("docs/events.md between its catalogue markers (expected in app/target/events-table.md)")
                .isEqualTo(expected.strip());
    }

    @Test
    void everyEventIsARecordWithAStableLowerCaseNameAndOneSpellingOfCanceled() {
        for (Class<?> event : events()) {
            EventType type = event.getAnnotation(EventType.class);
            assertThat(event.isRecord()).as(event.getName()).isTrue();
            assertThat(DomainEvent.class).isAssignableFrom(event);
            assertThat(type.name()).as(event.getName()).matches("[a-z_]+\\.[a-z_]+");
            assertThat(type.name()).doesNotContain("cancelled");
            assertThat(type.version()).isPositive();
            assertThat(Arrays.stream(event.getRecordComponents()).map(c -> c.getName()))
                    .as("%s names its aggregate's id", event.getName())
                    .contains(type.aggregateId());
        }
        assertThat(events().stream().map(e -> e.getAnnotation(EventType.class).name()))
                .doesNotHaveDuplicates();
    }

    private static List<Class<?>> events() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(EventType.class));
        List<Class<?>> events = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.kopek")) {
            try {
                events.add(Class.forName(candidate.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        events.sort(Comparator.comparing(e -> e.getAnnotation(EventType.class).name()));
        return events;
    }

    @SuppressWarnings("unchecked")
    private static String table(List<Class<?>> events) {
        StringBuilder out =
                new StringBuilder("\n| type | version | about | published by | payload |\n|---|---|---|---|---|\n");
        for (Class<?> event : events) {
            EventType type = Outbox.typeOf((Class<? extends DomainEvent>) event);
            String module = event.getPackageName().substring("io.kopek.".length());
            String fields = fields(event);
            out.append("| `")
                    .append(type.name())
                    .append("` | ")
                    .append(type.version())
                    .append(" | ")
                    .append(type.aggregate())
                    .append(" | `")
                    .append(module)
                    .append("` | ")
                    .append(fields)
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The JSON a field becomes in the payload. */
    private static String json(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return "array of " + json(args[0]);
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "object of " + json(args[1]);
            }
        }
        Class<?> c = (Class<?>) type;
        if (c == long.class || c == int.class || c == Long.class || c == Integer.class) {
            return "integer";
        }
        if (c == String.class) {
            return "string";
        }
        if (c == LocalDate.class) {
            return "date (ISO 8601)";
        }
        if (c == Instant.class) {
            return "date-time (ISO 8601, UTC)";
        }
        if (c.isEnum()) {
            return Arrays.stream(c.getEnumConstants())
                    .map(e -> "`" + ((Enum<?>) e).name().toLowerCase(Locale.ROOT) + "`")
                    .collect(Collectors.joining(" or "));
        }
        if (c.isRecord()) {
            return "{" + fields(c) + "}";
        }
        return c.getSimpleName();
    }

    /** A record's components as payload fields; a {@code @Nullable} one is left out when it does not apply. */
    private static String fields(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(c -> "`" + c.getName() + "` " + json(c.getGenericType())
                        + (c.getAnnotatedType().isAnnotationPresent(Nullable.class)
                                ? " (absent when it does not apply)"
                                : ""))
                .collect(Collectors.joining("; "));
    }
}
