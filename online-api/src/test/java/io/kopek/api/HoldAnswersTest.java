package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Hold;
import io.kopek.money.Money;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Currency;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** A hold's answer written field by field is, byte for byte, what the API's mapper writes of it. */
class HoldAnswersTest extends ApiTest {

    private static final String[] TEXTS = {
        null,
        "",
        "yookassa",
        "sber",
        "2f8a-\"quoted\"-\\",
        "платёж № 5",
        "tab\tnew\nline",
        "\u0001\u001f",
        "emoji 💳",
        "</script>"
    };

    @Autowired
    JsonMapper json;

    @Test
    void aHoldIsWrittenAsTheMapperWritesIt() {
        Random random = new Random(20261205);
        for (int n = 0; n < 5_000; n++) {
            Hold hold = new Hold(
                    random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1_000_000),
                    random.nextLong(),
                    random.nextInt(1_000),
                    random.nextInt(8) == 0 ? null : Hold.Source.values()[random.nextInt(2)],
                    money(random),
                    money(random),
                    random.nextInt(8) == 0 ? null : Hold.Status.values()[random.nextInt(4)],
                    instant(random),
                    instant(random),
                    instant(random),
                    TEXTS[random.nextInt(TEXTS.length)],
                    TEXTS[random.nextInt(TEXTS.length)]);

            byte[] expected = json.writerFor(Hold.class).writeValueAsBytes(hold);

            assertThat(new String(HoldAnswers.of(json, hold), StandardCharsets.UTF_8))
                    .as("%s", hold)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        }
    }

    private static Money money(Random random) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        String code = new String[] {"RUB", "USD", "JPY", "KWD"}[random.nextInt(4)];
        long minor = random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(10_000_000);
        return new Money(minor, Currency.getInstance(code));
    }

    /** Null, or an instant with no fraction, milliseconds, microseconds or nanoseconds, before and after 1970. */
    private static Instant instant(Random random) {
        if (random.nextInt(5) == 0) {
            return null;
        }
        long seconds = random.nextLong(-5_000_000_000L, 5_000_000_000L);
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
