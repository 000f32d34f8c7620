package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.report.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class PdfLayoutTest {

    /** As wide as the reconciliation's detail: 20 columns, 362 characters. */
    static final List<Column> TWENTY_COLUMNS = List.of(
            Column.date("business_date", "Дата"),
            Column.text("result", "Результат", 22),
            Column.text("operation", "Операция", 9),
            Column.text("provider_payment_id", "Платёж у провайдера", 24),
            Column.integer("payment_id", "Платёж", false),
            Column.integer("refund_id", "Возврат", false),
            Column.text("registry_line", "Строка реестра (файл:строка)", 12),
            Column.money("registry_amount", "Сумма по реестру"),
            Column.money("ledger_amount", "Сумма в учёте"),
            Column.money("registry_commission", "Комиссия по реестру"),
            Column.moneyNotSummed("expected_commission", "Комиссия по тарифу"),
            Column.text("currency", "Валюта", 7),
            Column.text("why", "Почему", 50),
            Column.integer("discrepancy_id", "Расхождение", false),
            Column.moneyNotSummed("discrepancy_amount", "Сумма расхождения"),
            Column.text("discrepancy_status", "Статус", 9),
            Column.text("resolved_by", "Кто разрешил", 16),
            Column.timestamp("resolved_at", "Когда"),
            Column.text("resolution", "Решение", 30),
            Column.text("comments", "Комментарии", 50));

    @Test
    void aNarrowTableIsSetInEightPointsOnA4() {
        PdfLayout layout = PdfLayout.of(List.of(
                Column.date("day", "Дата"), Column.text("provider", "Провайдер", 12), Column.money("fee", "Комиссия")));

        assertThat(layout.paper()).isEqualTo(PdfLayout.Paper.A4);
        assertThat(layout.fontSize()).isEqualTo(8f);
        assertThat(layout.x()).startsWith(0).endsWith(786);
    }

    @Test
    void aWiderTableGetsSmallerTypeOnA4() {
        PdfLayout layout = PdfLayout.of(TWENTY_COLUMNS.subList(0, 12));

        assertThat(layout.paper()).isEqualTo(PdfLayout.Paper.A4);
        assertThat(layout.fontSize()).isEqualTo(7f);
    }

    @Test
    void aTableTooWideForA4GoesOnA3() {
        PdfLayout layout = PdfLayout.of(TWENTY_COLUMNS);

        assertThat(layout.paper()).isEqualTo(PdfLayout.Paper.A3);
        assertThat(layout.fontSize()).isBetween(5.5f, 6.5f);
        assertThat(layout.x()).startsWith(0).endsWith(1135);
    }

    @Test
    void eachColumnGetsItsPaddingAndAShareOfTheRestByItsWidth() {
        assertThat(PdfLayout.positions(new int[] {10, 20, 10}, 786)).containsExactly(0, 198, 589, 786);
    }

    @Test
    void aLongTextColumnCountsAsTwentyCharactersForItWraps() {
        PdfLayout layout = PdfLayout.of(List.of(Column.text("why", "Почему", 48), Column.text("who", "Кто", 24)));

        assertThat(layout.x()).containsExactly(0, 393, 786);
    }
}
