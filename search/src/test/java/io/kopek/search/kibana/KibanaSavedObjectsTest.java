package io.kopek.search.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The saved objects of elk/kibana/kopek.ndjson, checked against the index templates Kopek's indices are made of. */
class KibanaSavedObjectsTest {

    final List<JsonNode> objects = KibanaObjects.savedObjects();

    @Test
    void everyObjectReferenceDataViewFieldAndAggregationFitsTheTemplates() {
        assertThat(SavedObjectChecks.problems(objects)).isEmpty();
    }

    @Test
    void thereIsADataViewForEveryAliasAndADashboardForEachTopicOfFinance() {
        assertThat(objects.stream()
                        .filter(o -> o.path("type").asString().equals("index-pattern"))
                        .map(o -> o.path("attributes").path("title").asString()))
                .containsExactlyInAnyOrderElementsOf(KibanaObjects.ALIASES);
        Set<String> charted = KibanaObjects.charts(objects).stream()
                .map(c -> c.alias() + ":" + c.metric().operation() + ":"
                        + c.metric().field())
                .collect(Collectors.toSet());
        assertThat(charted)
                .contains(
                        "kopek-payments:sum:amount",
                        "kopek-refunds:sum:amount",
                        "kopek-discrepancies:count:null",
                        "kopek-receipts:count:null",
                        "kopek-holds:sum:amount",
                        "kopek-invoices:sum:outstanding");
        assertThat(objects.stream().filter(o -> o.path("type").asString().equals("dashboard")))
                .hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void moneyIsChartedInRoublesByAFormulaOverKopecks() {
        assertThat(KibanaObjects.charts(objects).stream()
                        .filter(c -> "sum".equals(c.metric().operation())))
                .isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.metric().divisor()).as(c.id()).isEqualTo(100);
                    assertThat(c.title()).as(c.id()).contains("₽");
                });
    }

    @Test
    void theChecksNameAFieldTheTemplateDoesNotHaveAndAnAggregationOnTheWrongType(@TempDir Path dir) throws Exception {
        Path ndjson = KibanaObjects.ELK.resolve("kibana/kopek.ndjson");
        String text = Files.readString(ndjson)
                .replace("\"sourceField\": \"provider\"", "\"sourceField\": \"provider_name\"")
                .replace("\"sourceField\": \"outstanding\"", "\"sourceField\": \"status\"")
                .replace("\"timeFieldName\": \"expires_at\"", "\"timeFieldName\": \"expiry\"")
                .lines()
                // the chart of fiscal failures gone, its dashboard's panel refers to nothing
                .filter(l -> !l.contains("\"id\": \"kopek-lens-fiscal-failures\", \"managed\""))
                .collect(Collectors.joining("\n"));
        Path broken = Files.writeString(dir.resolve("broken.ndjson"), text);

        List<String> problems = SavedObjectChecks.problems(KibanaObjects.savedObjects(broken));

        assertThat(problems)
                .anyMatch(p -> p.startsWith("kopek-lens-turnover-by-provider: terms on 'provider_name', a null"))
                .anyMatch(p -> p.startsWith("kopek-lens-receivables: sum on 'status', a keyword"))
                .anyMatch(p -> p.startsWith("kopek-dv-holds: time field 'expiry'"))
                .anyMatch(p ->
                        p.startsWith("kopek-dashboard-fiscal: reference") && p.contains("kopek-lens-fiscal-failures"));
    }
}
