package io.kopek.sandbox.sber;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sber's symmetric callback checksum: every parameter except {@code checksum}, sorted by name, as
 * {@code name;value;} pairs (with the trailing {@code ;}), HMAC-SHA256 with the shared key, hex upper-case.
 */
public final class SberChecksum {

    private SberChecksum() {}

    public static String of(Map<String, String> parameters, String key) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(parameters).forEach((name, value) -> {
            if (!name.equals("checksum")) {
                text.append(name).append(';').append(value).append(';');
            }
        });
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)))
                    .toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
