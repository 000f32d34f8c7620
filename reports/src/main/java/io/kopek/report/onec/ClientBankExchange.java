package io.kopek.report.onec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * 1C:Enterprise's bank-client exchange format, version 1.03, as a bank's statement: {@code 1CClientBankExchange}, a
 * header, the account's balances ({@code СекцияРасчСчет}), a {@code СекцияДокумент} per payment order, and
 * {@code КонецФайла}; {@code Key=Value} lines ending in CRLF, in Windows-1251 without a byte order mark
 * ({@code Кодировка=Windows}). Dates {@code dd.MM.yyyy}, amounts in roubles with a dot and two decimals.
 *
 * <p>The keys and their order follow the project's domain facts on the format (sections 5 and 6, "1C
 * «ClientBankExchange»"), drawn from kilylabs/client-bank-exchange-php ({@code GeneralSection}, {@code
 * RemainingsSection}, {@code DocumentSection}, {@code tests/resources/one_day_utf8.txt}) and
 * Xini1/client-bank-exchange ({@code format/*.java}); 1C's import refuses a document without a well-formed
 * {@code Сумма} (1C-Company/DirectBank issue 49). The official standard (v8.1c.ru, "Стандарт обмена ... 1.03") was
 * not at hand.
 */
final class ClientBankExchange {

    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    static final String PAYMENT_ORDER = "Платежное поручение";
    static final String VERSION = "1.03";

    /** Ordinary payments (not budget, not wages): the fifth priority of art. 855 of the Civil Code. */
    static final String PRIORITY = "5";

    /** ВидОплаты (the payment order's field 18): 01 is a payment order. */
    static final String PAYMENT_KIND = "01";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    /**
     * The file's creation time is the end of the period it covers, never the moment it was made: the same period
     * over the same data gives the same bytes, so a second export is recognised as the first (by 1C, and by the
     * report run's SHA-256).
     */
    static final String CREATED_AT = "23:59:59";

    private final StringBuilder text = new StringBuilder();

    private ClientBankExchange() {}

    /**
     * The statement's file.
     *
     * @throws IllegalStateException naming the value when one cannot be written (a line break, or a character
     *     Windows-1251 lacks)
     */
    static byte[] render(Statement s) {
        ClientBankExchange f = new ClientBankExchange();
        f.line("1CClientBankExchange");
        f.put("ВерсияФормата", VERSION);
        f.put("Кодировка", "Windows");
        f.put("Отправитель", s.sender());
        f.put("Получатель", "1С:Предприятие");
        f.put("ДатаСоздания", date(s.to()));
        f.put("ВремяСоздания", CREATED_AT);
        f.put("ДатаНачала", date(s.from()));
        f.put("ДатаКонца", date(s.to()));
        f.put("РасчСчет", s.account());
        f.put("Документ", PAYMENT_ORDER);
        f.line("СекцияРасчСчет");
        f.put("ДатаНачала", date(s.from()));
        f.put("ДатаКонца", date(s.to()));
        f.put("РасчСчет", s.account());
        f.put("НачальныйОстаток", rubles(s.opening()));
        f.put("ВсегоПоступило", rubles(s.received()));
        f.put("ВсегоСписано", rubles(s.debited()));
        f.put("КонечныйОстаток", rubles(s.closing()));
        f.line("КонецРасчСчет");
        for (Statement.Document d : s.documents()) {
            f.document(d);
        }
        f.line("КонецФайла");
        return encode(f.text);
    }

    private void document(Statement.Document d) {
        put("СекцияДокумент", PAYMENT_ORDER);
        put("Номер", d.number());
        put("Дата", date(d.date()));
        put("Сумма", rubles(d.amount()));
        party("Плательщик", d.payer());
        if (!d.incoming()) {
            put("ДатаСписано", date(d.date()));
        }
        party("Получатель", d.payee());
        if (d.incoming()) {
            put("ДатаПоступило", date(d.date()));
        }
        put("ВидОплаты", PAYMENT_KIND);
        put("Очередность", PRIORITY);
        put("НазначениеПлатежа", d.purpose());
        line("КонецДокумента");
    }

    private void party(String role, Statement.Party p) {
        put(role + "Счет", p.account());
        put(role, p.name());
        put(role + "1", p.name());
        put(role + "ИНН", p.inn());
        put(role + "КПП", p.kpp() == null ? "" : p.kpp());
        put(role + "РасчСчет", p.account());
        put(role + "Банк1", p.bankName());
        put(role + "БИК", p.bik());
        put(role + "Корсчет", p.correspondentAccount());
    }

    private void put(String key, String value) {
        if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalStateException(key + ": a value of one line is needed, not " + value);
        }
        line(key + "=" + value);
    }

    private void line(String line) {
        text.append(line).append("\r\n");
    }

    static String date(LocalDate date) {
        return DATE.format(date);
    }

    /** Kopecks as roubles with a dot and two decimals ({@code 2762.80}, {@code -0.05}). */
    static String rubles(long kopecks) {
        long abs = Math.abs(kopecks);
        return (kopecks < 0 ? "-" : "") + abs / 100 + "." + String.format("%02d", abs % 100);
    }

    /** Windows-1251, refusing what it cannot hold rather than writing a question mark in its place. */
    private static byte[] encode(CharSequence text) {
        CharsetEncoder encoder = WINDOWS_1251
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer bytes = encoder.encode(CharBuffer.wrap(text));
            return Arrays.copyOf(bytes.array(), bytes.limit());
        } catch (CharacterCodingException e) {
            String line = text.toString()
                    .lines()
                    .filter(l -> !encoder.reset().canEncode(l))
                    .findFirst()
                    .orElse("?");
            throw new IllegalStateException("Windows-1251 cannot hold a character of: " + line, e);
        }
    }
}
