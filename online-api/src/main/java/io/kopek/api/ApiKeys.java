package io.kopek.api;

import io.kopek.errors.KopekException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: {@code kpk_<prefix>_<secret>}. The prefix finds the key; only a SHA-256 of the 256-bit random
 * secret is stored (a slow password hash adds nothing for secrets of that entropy), compared in constant time.
 * A verified key is remembered for {@link #CACHE_TTL}; revoking it through this instance forgets it at once.
 */
@Service
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long a verified key is trusted without asking the database; a revocation elsewhere takes this long. */
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(byte[] secretHash, ApiPrincipal principal, Instant until) {}

    ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public IssuedApiKey issue(ApiRole role, Long customerId, String name) {
        byte[] prefix = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(prefix);
        RANDOM.nextBytes(secret);
        String key = "kpk_" + HexFormat.of().formatHex(prefix) + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return store(key, role, customerId, name);
    }

    /** Makes sure a key given in configuration (e.g. the bootstrap admin key) exists. */
    @Transactional
    public void ensure(String key, ApiRole role, String name) {
        Parts m = parse(key)
                .orElseThrow(() -> new IllegalArgumentException(
                        "a configured API key must look like kpk_<12 hex>_<43 base64url characters>"));
        boolean exists = jdbc.sql("select count(*) from api_key where prefix = ?")
                        .param(m.prefix())
                        .query(Long.class)
                        .single()
                > 0;
        if (!exists) {
            store(key, role, null, name);
        }
    }

    private IssuedApiKey store(String key, ApiRole role, Long customerId, String name) {
        if ((role == ApiRole.CUSTOMER) != (customerId != null)) {
            throw KopekException.invalid("invalid-api-key", "exactly the customer role is bound to a customer");
        }
        Parts m = parse(key).orElseThrow();
        long id = jdbc.sql(
                        "insert into api_key (prefix, secret_hash, role, customer_id, name) values (?, ?, ?, ?, ?) returning id")
                .params(m.prefix(), sha256(m.secret()), role.code(), customerId, name)
                .query(Long.class)
                .single();
        return new IssuedApiKey(id, key, role, customerId, name);
    }

    /**
     * The key's caller, if the key is known and not revoked. No transaction: a remembered key, the common case, asks
     * the database nothing, and one that is not is a single read.
     */
    public Optional<ApiPrincipal> authenticate(String presented) {
        Optional<Parts> parsed = parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Parts m = parsed.get();
        byte[] presentedHash = sha256(m.secret());
        Verified cached = verified.get(m.prefix());
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return MessageDigest.isEqual(cached.secretHash(), presentedHash)
                    ? Optional.of(cached.principal())
                    : Optional.empty();
        }
        Optional<ApiPrincipal> found = jdbc
                .sql(
                        "select id, secret_hash, role, customer_id, name from api_key where prefix = ? and revoked_at is null")
                .param(m.prefix())
                .query()
                .listOfRows()
                .stream()
                .filter(row -> MessageDigest.isEqual((byte[]) row.get("secret_hash"), presentedHash))
                .map(ApiKeys::principal)
                .findFirst();
        found.ifPresent(p -> verified.put(
                m.prefix(), new Verified(presentedHash, p, Instant.now().plus(CACHE_TTL))));
        return found;
    }

    @Transactional
    public void revoke(long id) {
        if (jdbc.sql("update api_key set revoked_at = now() where id = ? and revoked_at is null")
                        .param(id)
                        .update()
                == 0) {
            throw KopekException.notFound("active API key", id);
        }
        verified.values().removeIf(v -> v.principal().keyId() == id);
    }

    @Transactional(readOnly = true)
    public List<Map<String, Object>> list() {
        return jdbc.sql("select id, prefix, role, customer_id, name, created_at, revoked_at from api_key order by id")
                .query()
                .listOfRows();
    }

    private static ApiPrincipal principal(Map<String, Object> row) {
        return new ApiPrincipal(
                ((Number) row.get("id")).longValue(),
                ApiRole.of((String) row.get("role")),
                row.get("customer_id") == null ? null : ((Number) row.get("customer_id")).longValue(),
                (String) row.get("name"));
    }

    /** A key's parts: the prefix it is found by, the secret its hash is checked by. */
    record Parts(String prefix, String secret) {}

    /**
     * {@code kpk_<12 lower-case hex digits>_<43 base64url characters>}, blanks around it ignored; read by hand, not
     * by a regular expression, as every request's key is (ApiKeysTest holds it to the expression).
     */
    static Optional<Parts> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String k = key.strip();
        if (k.length() != 60 || !k.startsWith("kpk_") || k.charAt(16) != '_') {
            return Optional.empty();
        }
        for (int i = 4; i < 16; i++) {
            char c = k.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return Optional.empty();
            }
        }
        for (int i = 17; i < 60; i++) {
            char c = k.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
                return Optional.empty();
            }
        }
        return Optional.of(new Parts(k.substring(4, 16), k.substring(17)));
    }

    private static byte[] sha256(String secret) {
        return Sha256.digest().digest(secret.getBytes(StandardCharsets.US_ASCII));
    }
}
