package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A presented key is read by hand as the format's regular expression reads it. */
class ApiKeysTest {

    /** The format, as issued keys have it: the prefix, then the secret. */
    private static final Pattern FORMAT = Pattern.compile("kpk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    private static final String VALID = "kpk_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    @Test
    void aKeyIsReadAsTheFormatSaysForEveryCharacterAtEveryPlace() {
        List<String> keys = new ArrayList<>(List.of(
                VALID,
                " " + VALID + "\n",
                VALID + "\n",
                VALID.toUpperCase(),
                VALID.substring(1),
                VALID + "x",
                "",
                "kpk_",
                "Bearer " + VALID));
        // every place of a valid key, with each character class there might be: digits, letters of both cases
        // beyond hex, the two base64url signs, other signs, blanks, and letters beyond ASCII
        for (int i = 0; i < VALID.length(); i++) {
            for (char c : "0af9gzAFZ_-+/=. \tЯé".toCharArray()) {
                keys.add(VALID.substring(0, i) + c + VALID.substring(i + 1));
            }
        }
        Random random = new Random(20261205);
        for (int n = 0; n < 2000; n++) {
            char[] key = VALID.toCharArray();
            key[random.nextInt(key.length)] = (char) (32 + random.nextInt(96));
            keys.add(new String(key));
        }
        int read = 0;
        for (String key : keys) {
            var m = FORMAT.matcher(key.strip());
            var expected = m.matches() ? new ApiKeys.Parts(m.group(1), m.group(2)) : null;
            assertThat(ApiKeys.parse(key).orElse(null)).as("'%s'", key).isEqualTo(expected);
            read += expected == null ? 0 : 1;
        }
        assertThat(read).as("keys read among those tried").isGreaterThan(500);
        assertThat(ApiKeys.parse(null)).isEmpty();
    }
}
