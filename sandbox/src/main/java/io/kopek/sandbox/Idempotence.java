package io.kopek.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A provider's idempotency-key store: the first request under a key acts and its answer is kept; a repeat with the
 * same request gets that answer again without acting; a repeat with another request is refused. Answers of 5xx
 * are not kept, so a failed request may be repeated.
 */
public final class Idempotence {

    /** An HTTP answer a simulator gives. */
    public record Answer(int status, String body) {}

    private record Kept(byte[] requestHash, Answer answer) {}

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /**
     * @param conflict the answer to a key reused with another request
     */
    public synchronized Answer answer(
            String key, String path, byte[] body, Supplier<Answer> act, Supplier<Answer> conflict) {
        byte[] hash = sha256(path, body);
        Kept earlier = kept.get(key);
        if (earlier != null) {
            return Arrays.equals(earlier.requestHash(), hash) ? earlier.answer() : conflict.get();
        }
        Answer answer = act.get();
        if (answer.status() < 500) {
            kept.put(key, new Kept(hash, answer));
        }
        return answer;
    }

    private static byte[] sha256(String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
