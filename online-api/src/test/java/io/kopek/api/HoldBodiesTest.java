package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the lean path reads of a hold's body by hand is what the API's own mapper reads of it: for every generated
 * body that {@link HoldBodies} reads into a valid record, the mapper reads an equal one.
 */
class HoldBodiesTest extends ApiTest {

    private static final String[] VALUES = {
        "0",
        "1",
        "-1",
        "10000",
        "604800",
        "604801",
        "2147483647",
        "2147483648",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "1.0",
        "1e3",
        "-0",
        "null",
        "true",
        "[]",
        "{}",
        "\"5\"",
        "\"RUB\"",
        "\"rub\"",
        "\"R\\u0000B\"",
        "\"RUB\\n\"",
        "\"\\u0052UB\""
    };

    private static final String[] NAMES = {
        "invoice_id", "amount", "lifetime_seconds", "currency", "invoiceId", "Invoice_Id", "other", "invoice_id "
    };

    @Autowired
    JsonMapper json;

    @Test
    void aPlacementReadByHandIsWhatTheMapperReads() {
        int read = agree(
                (mapper, body) -> HoldBodies.place(mapper, body),
                HoldsApi.PlaceHold.class,
                hold -> hold.valid(),
                new String[] {"invoice_id", "amount", "lifetime_seconds"});
        assertThat(read).as("placements read by hand among those generated").isGreaterThan(300);
        assertThat(HoldBodies.place(
                        json, bytes("{\"invoice_id\":7,\"amount\":{\"amount\":10000,\"currency\":\"RUB\"}}")))
                .isEqualTo(new HoldsApi.PlaceHold(7L, new MoneyJson(10000L, "RUB"), null));
    }

    @Test
    void aCaptureReadByHandIsWhatTheMapperReads() {
        int read = agree(
                (mapper, body) -> HoldBodies.capture(mapper, body),
                HoldsApi.Capture.class,
                capture -> capture.valid(),
                new String[] {"amount"});
        assertThat(read).as("captures read by hand among those generated").isGreaterThan(300);
        assertThat(HoldBodies.capture(json, bytes("{}"))).isEqualTo(new HoldsApi.Capture(null));
    }

    /** How many generated bodies were read by hand into a valid record, each found equal to the mapper's. */
    private <T> int agree(
            BiFunction<JsonMapper, byte[], T> byHand,
            Class<T> type,
            java.util.function.Predicate<T> valid,
            String[] fields) {
        Random random = new Random(20261205);
        int read = 0;
        for (String body : bodies(random, fields)) {
            T hand = byHand.apply(json, bytes(body));
            if (hand == null || !valid.test(hand)) {
                continue;
            }
            read++;
            assertThat(json.readerFor(type).<T>readValue(bytes(body)))
                    .as("%s", body)
                    .isEqualTo(hand);
        }
        return read;
    }

    /** Objects of the record's names and others, once or twice, with values of every kind, and some not objects. */
    private static List<String> bodies(Random random, String[] fields) {
        List<String> bodies = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder body = new StringBuilder(random.nextInt(20) == 0 ? "[" : "{");
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                String name = random.nextInt(5) == 0
                        ? NAMES[random.nextInt(NAMES.length)]
                        : fields[random.nextInt(fields.length)];
                body.append(i == 0 ? "" : ",")
                        .append(random.nextBoolean() ? "" : " ")
                        .append('"')
                        .append(name)
                        .append("\":")
                        .append(name.equals("amount") && random.nextInt(4) > 0 ? money(random) : value(random));
            }
            body.append(random.nextInt(20) == 0 ? "]" : "}");
            if (random.nextInt(30) == 0) {
                body.append(random.nextBoolean() ? " 1" : "}");
            }
            bodies.add(body.toString());
        }
        return bodies;
    }

    private static String money(Random random) {
        List<String> parts = new ArrayList<>();
        if (random.nextInt(6) > 0) {
            parts.add("\"amount\":" + (random.nextBoolean() ? "10000" : value(random)));
        }
        if (random.nextInt(6) > 0) {
            parts.add("\"currency\":" + (random.nextBoolean() ? "\"RUB\"" : value(random)));
        }
        if (random.nextInt(10) == 0) {
            parts.add(random.nextBoolean() ? "\"amount\":5" : "\"other\":1");
        }
        java.util.Collections.shuffle(parts, random);
        return "{" + String.join(",", parts) + "}";
    }

    private static String value(Random random) {
        return VALUES[random.nextInt(VALUES.length)];
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
