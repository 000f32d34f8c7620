package io.kopek.notification.webhook;

import io.kopek.errors.KopekException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoints' signing secrets: made ({@code whsec_} + base64 of 32 random bytes, as Standard Webhooks writes them),
 * sealed for the database with AES-GCM under the configured key (a random 12-byte nonce before the ciphertext), opened
 * again to sign, and the signature itself.
 */
final class Secrets {

    static final String PREFIX = "whsec_";
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** {@code base64Key}: base64 of 32 bytes, or null when the installation has none (nothing can be sealed). */
    Secrets(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            this.key = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kopek.notifications.webhooks.secret-key is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(
                    "kopek.notifications.webhooks.secret-key must be base64 of 32 bytes, not " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    byte[] seal(String secret) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, configured(), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret", e);
        }
    }

    String open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, configured(), new GCMParameterSpec(128, sealed, 0, NONCE));
            return new String(cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot open a webhook secret: was kopek.notifications.webhooks.secret-key changed?", e);
        }
    }

    private SecretKeySpec configured() {
        if (key == null) {
            throw KopekException.unavailable(
                    "webhooks-not-configured",
                    "webhooks need kopek.notifications.webhooks.secret-key (base64 of 32 bytes) to keep secrets");
        }
        return key;
    }

    /**
     * The {@code webhook-signature} header: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} for each secret,
     * space-separated (the newest first).
     */
    static String signature(List<String> secrets, String id, long timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(secret, id, timestamp, body)));
        }
        return header.toString();
    }

    private static byte[] hmac(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
