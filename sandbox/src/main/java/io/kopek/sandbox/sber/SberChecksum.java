package io.kopek.sandbox.sber;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sber's callback checksums. Symmetric: every parameter except {@code checksum}, sorted by name, as
 * {@code name;value;} pairs (with the trailing {@code ;}), HMAC-SHA256 with the shared key, hex upper-case.
 */
public final class SberChecksum {

    private SberChecksum() {}

    public static String of(Map<String, String> parameters, String key) {
        String text = text(parameters);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)))
                    .toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The asymmetric checksum: an RSA signature with SHA-512 of the same text, by the bank's private key, hex
     * upper-case; the merchant checks it with the public key from its cabinet.
     */
    public static String signed(Map<String, String> parameters, PrivateKey bankKey) {
        try {
            Signature rsa = Signature.getInstance("SHA512withRSA");
            rsa.initSign(bankKey);
            rsa.update(text(parameters).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(rsa.sign()).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | InvalidKeyException | SignatureException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Map<String, String> parameters) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(parameters).forEach((name, value) -> {
            if (!name.equals("checksum")) {
                text.append(name).append(';').append(value).append(';');
            }
        });
        return text.toString();
    }
}
