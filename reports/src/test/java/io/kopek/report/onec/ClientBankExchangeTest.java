package io.kopek.report.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exchange format's text: encoding, line ends, amounts, and what it refuses to write. */
class ClientBankExchangeTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    static final Statement.Party SHOP = new Statement.Party(
            "ИП Иванов Иван Иванович",
            "500100732259",
            null,
            "40702810900000054321",
            "АО «Тестовый банк»",
            "044525905",
            "30101810745250000905");
    static final Statement.Party PROVIDER = new Statement.Party(
            "ООО «Процессинг»",
            "7722334453",
            "772201001",
            "40702810700000000404",
            "АО «Банк процессинга»",
            "044525906",
            "30101810045250000906");

    static Statement statement(Statement.Party shop, long opening, long closing) {
        return new Statement(
                "Kopek",
                DAY,
                DAY,
                shop.account(),
                opening,
                0,
                150_05,
                closing,
                List.of(new Statement.Document("101", DAY, 150_05, shop, PROVIDER, false, "Возвраты сверх оплат")));
    }

    @Test
    void aStatementIsWindows1251WithCrlfAndRoublesWithADot() {
        byte[] file = ClientBankExchange.render(statement(SHOP, -5, -150_10));
        String text = new String(file, Charset.forName("windows-1251"));

        assertThat(file[0]).as("no byte order mark").isEqualTo((byte) '1');
        assertThat(text)
                .startsWith("1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\n")
                .contains("\r\nНачальныйОстаток=-0.05\r\n")
                .contains("\r\nВсегоПоступило=0.00\r\n")
                .contains("\r\nКонечныйОстаток=-150.10\r\n")
                .contains("\r\nСумма=150.05\r\n")
                .contains("\r\nДатаСписано=03.12.2026\r\n")
                .contains("\r\nПлательщикКПП=\r\n")
                .doesNotContain("ДатаПоступило")
                .endsWith("КонецДокумента\r\nКонецФайла\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void aStatementThatDoesNotTieOutIsNotMade() {
        assertThatThrownBy(() -> statement(SHOP, 0, -150_04)).hasMessageContaining("does not tie out");
    }

    @Test
    void aValueWindows1251CannotHoldOrALineBreakIsRefused() {
        Statement.Party emoji = new Statement.Party(
                "ООО «Ромашка» \uD83C\uDF3C",
                SHOP.inn(),
                null,
                SHOP.account(),
                SHOP.bankName(),
                SHOP.bik(),
                SHOP.correspondentAccount());
        Statement.Party twoLines = new Statement.Party(
                "ООО\r\nКонецФайла",
                SHOP.inn(),
                null,
                SHOP.account(),
                SHOP.bankName(),
                SHOP.bik(),
                SHOP.correspondentAccount());

        assertThatThrownBy(() -> ClientBankExchange.render(statement(emoji, 0, -150_05)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Windows-1251");
        assertThatThrownBy(() -> ClientBankExchange.render(statement(twoLines, 0, -150_05)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one line");
    }
}
