package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** A report's query text is fixed: values, whatever they hold, are only ever bound parameters. */
class FilteredSelectTest {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Test
    void aGivenFilterAddsItsFixedConditionAndBindsItsValue() {
        String hostile = "x'; delete from payment; --";

        FilteredSelect select = new FilteredSelect("select 1 from billing_payment p where true", MOSCOW)
                .within("p.created_at", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 3))
                .and("p.provider = :provider", "provider", hostile)
                .and("p.method = :method", "method", null)
                .then("order by p.payment_id");

        assertThat(select.sql())
                .doesNotContain(hostile)
                .doesNotContain("delete")
                .doesNotContain("2026")
                .contains("and p.provider = :provider")
                .doesNotContain(":method")
                .endsWith("order by p.payment_id");
        assertThat(select.parameters().getValue("provider")).isEqualTo(hostile);
        assertThat(select.parameters().hasValue("method")).isFalse();
        assertThat(select.parameters().getValue("from")).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(select.parameters().getValue("to")).isEqualTo(LocalDate.of(2026, 12, 3));
        assertThat(select.parameters().getValue("zone")).isEqualTo("Europe/Moscow");
    }
}
