package io.kopek.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Types;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every POST under {@code /api/} carries an {@code Idempotency-Key}. The request runs in one database
 * transaction that ends by inserting the key's record with the response: the effect and the stored answer commit
 * together, or neither does. Two requests with one key never both take effect: the second to insert the record
 * waits on its primary key for the first to commit, finds it there, rolls its own work back and replays the first
 * answer (or answers 422 when it was another request). A request that fails (4xx/5xx) leaves nothing, unless an
 * earlier request with its key succeeded (a repeat that finds its work done, e.g. a capture of a captured hold),
 * which then answers; otherwise it may be sent again with the same key. Writing the record last costs one
 * statement per request instead of two; the price is that a repeat runs before it is recognised, in a transaction
 * that is rolled back.
 *
 * <p>Requests that call a payment provider or start a batch run ({@link Idempotent.Mode#BY_ITS_OPERATIONS}, as their
 * endpoints declare) cannot hold a transaction open across the
 * provider's answer, and need not: their operations are idempotent by themselves, keyed by {@link #requestKey}
 * (a repeat finds what the first request started). For them the record is written first, the request runs
 * outside it, and a finished answer is stored for replay; a duplicate that arrives while the first still runs
 * runs too, and meets the first one's work.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class Idempotency extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final JsonMapper ANSWERS = new JsonMapper();

    /** The records' insert: one row per request from an array per column ({@link #records}). */
    private static final String RECORDS = "insert into idempotency_record (api_key_id, staff_user_id, key,"
            + " request_hash, method, path, created_at, response_status, response_content_type, response_body)"
            + " select t.a, t.u, t.k, t.h, ?, t.p, ?, t.s, ?, t.b from"
            + " unnest(?::bigint[], ?::bigint[], ?::text[], ?::bytea[], ?::text[], ?::int[], ?::bytea[])"
            + " as t(a, u, k, h, p, s, b)";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ProblemWriter problems;
    private final Clock clock;
    private final Endpoints endpoints;

    Idempotency(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            ProblemWriter problems,
            Clock clock,
            Endpoints endpoints) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.transactions = transactions;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getMethod().equals("POST") || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ApiPrincipal> caller = Access.caller();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ApiPrincipal principal = caller.get();
        String key = keyOf(request);
        if (key == null) {
            problems.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "idempotency-key-required",
                    "every POST needs an Idempotency-Key header (1 to 255 characters)");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        byte[] hash = requestHash(request, body);
        var cachedRequest = new CachedBodyRequest(request, body);
        var cachedResponse = new ContentCachingResponseWrapper(response);
        if (endpoints
                .of(request)
                .map(e -> e.idempotency() == Idempotent.Mode.BY_ITS_OPERATIONS)
                .orElse(false)) {
            outsideTransaction(principal, key, hash, request, response, chain, cachedRequest, cachedResponse);
            return;
        }
        inTransaction(principal, key, hash, request, response, chain, cachedRequest, cachedResponse);
    }

    /**
     * The request and its key's record in one transaction: the record, with the answer, is its last statement; a
     * request that fails, or finds the record written by an earlier one, rolls back and answers as the earlier did.
     */
    private void inTransaction(
            ApiPrincipal principal,
            String key,
            byte[] hash,
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            CachedBodyRequest cachedRequest,
            ContentCachingResponseWrapper cachedResponse)
            throws ServletException, IOException {
        Outcome outcome;
        try {
            outcome = transactions.execute(tx -> {
                try {
                    chain.doFilter(cachedRequest, cachedResponse);
                } catch (IOException | ServletException e) {
                    throw new WrappedException(e);
                }
                if (cachedResponse.getStatus() >= 400) {
                    tx.setRollbackOnly();
                    return Outcome.FAILED;
                }
                if (!insertRecord(principal, key, hash, request, cachedResponse)) {
                    tx.setRollbackOnly();
                    return Outcome.EARLIER;
                }
                return Outcome.DONE;
            });
        } catch (RuntimeException e) {
            if (replayEarlier(principal, key, hash, response)) {
                return;
            }
            if (e instanceof WrappedException w) {
                if (w.getCause() instanceof ServletException se) throw se;
                throw (IOException) w.getCause();
            }
            throw e;
        }
        if (outcome != Outcome.DONE && replayEarlier(principal, key, hash, response)) {
            return;
        }
        if (outcome == Outcome.EARLIER) {
            endedMeanwhile(response);
            return;
        }
        cachedResponse.copyBodyToResponse();
    }

    /** The record this request ran into was purged meanwhile (past retention); its own work was rolled back. */
    void endedMeanwhile(HttpServletResponse response) throws IOException {
        response.reset();
        problems.write(
                response,
                HttpStatus.CONFLICT,
                "idempotency-key-conflict",
                "an earlier request with this Idempotency-Key ended while this one ran; send it again");
    }

    /** The key a POST names, or null when it names none that can be kept (the filter then answers 400). */
    static String keyOf(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        return key == null || key.isBlank() || key.length() > 255 ? null : key;
    }

    /** What tells a repeat from another request with the same key: method, path and body (without passwords). */
    byte[] requestHash(HttpServletRequest request, byte[] body) {
        return requestHash(request, body, endpoints.of(request).orElse(null));
    }

    /** As {@link #requestHash(HttpServletRequest, byte[])}, the request's endpoint known (or null: none). */
    byte[] requestHash(HttpServletRequest request, byte[] body, Endpoints.Endpoint endpoint) {
        return hash(
                request.getMethod(),
                request.getRequestURI(),
                withoutPasswords(body, endpoint == null ? Set.of() : endpoint.passwords()));
    }

    /** A request of a batch ({@link HoldBatches}) done, to be recorded: who sent it, its key, hash and answer. */
    record Answered(ApiPrincipal caller, String key, byte[] hash, String path, int status, byte[] body) {}

    /**
     * The records of a batch's requests that were done, with their answers (JSON), in one statement, as the batch's
     * last: as {@link #insertRecord} does for one. True when every record was written. The records go in by a plain
     * insert: a key that an earlier record holds (once that record's transaction has ended, as insertRecord waits)
     * fails the statement; then false, and the transaction is to be rolled back, as the filter rolls back a single
     * request, and the batch run again without the requests whose keys were taken ({@link #earlierOf} tells which,
     * read after the roll-back). The batch's keys must differ.
     *
     * <p>With {@code andCommit}, the commit of the caller's transaction goes with the insert, in the same round trip
     * ({@code insert …; commit}), and does not run when the insert fails: measured on the API's benchmark, the
     * records' statement and the commit took ~0.5 ms of a batch's ~3.1 ms each, most of it the wait for the
     * database's answer on two busy cores, and a round trip fewer saved ~0.1 ms a batch (bench/README.md). Only for
     * a transaction with no work of its own before its commit ({@code TransactionSynchronization}s): the commit here
     * runs before any, and the transaction manager's commit then finds nothing left to commit.
     */
    boolean keep(List<Answered> done, String method, boolean andCommit) {
        try {
            jdbc.sql(andCommit ? RECORDS + "; commit" : RECORDS)
                    .params(records(done, method))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * For each of the requests, whether an earlier record holds its key: after {@link #keep} failed on one,
     * read once the batch is rolled back.
     */
    boolean[] earlierOf(List<Answered> done) {
        boolean[] earlier = new boolean[done.size()];
        for (int i = 0; i < earlier.length; i++) {
            earlier[i] = earlier(done.get(i).caller(), done.get(i).key()).isPresent();
        }
        return earlier;
    }

    /** {@link #RECORDS}'s parameters for the requests. */
    private Object[] records(List<Answered> done, String method) {
        return new Object[] {
            method,
            java.sql.Timestamp.from(clock.instant()),
            MediaType.APPLICATION_JSON_VALUE,
            owners(done, ApiPrincipal.Kind.API_KEY),
            owners(done, ApiPrincipal.Kind.USER),
            done.stream().map(Answered::key).toArray(String[]::new),
            // byte[][] and Long[] go as binary arrays; hex texts cost both sides an encoding
            done.stream().map(Answered::hash).toArray(byte[][]::new),
            done.stream().map(Answered::path).toArray(String[]::new),
            done.stream().mapToInt(Answered::status).toArray(),
            done.stream().map(Answered::body).toArray(byte[][]::new)
        };
    }

    /** The owners' ids of one kind, as an array parameter: null where a request's owner is of the other. */
    private static Long[] owners(List<Answered> done, ApiPrincipal.Kind kind) {
        return done.stream()
                .map(d -> d.caller().kind() == kind ? d.caller().id() : null)
                .toArray(Long[]::new);
    }

    /**
     * After this request's own work was rolled back: the answer of an earlier request with its key, in place of
     * what this one was about to answer. False when there is none.
     */
    boolean replayEarlier(ApiPrincipal principal, String key, byte[] hash, HttpServletResponse response)
            throws IOException {
        Optional<Map<String, Object>> earlier = earlier(principal, key);
        if (earlier.isEmpty()) {
            return false;
        }
        response.reset();
        return replay(earlier.get(), hash, response);
    }

    /**
     * The key's record: with the request's answer as the request's last statement, or without one before a
     * {@link Idempotent.Mode#BY_ITS_OPERATIONS} request runs ({@code answer} null). False when an earlier request with this key wrote
     * it (waiting for that request's transaction to end if it has not).
     */
    private boolean insertRecord(
            ApiPrincipal principal,
            String key,
            byte[] hash,
            HttpServletRequest request,
            ContentCachingResponseWrapper answer) {
        return jdbc.sql("insert into idempotency_record (" + owner(principal) + ", key, request_hash, method, path,"
                                + " created_at, response_status, response_content_type, response_body)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
                        .params(
                                principal.id(),
                                key,
                                hash,
                                request.getMethod(),
                                request.getRequestURI(),
                                java.sql.Timestamp.from(clock.instant()),
                                new SqlParameterValue(Types.INTEGER, answer == null ? null : answer.getStatus()),
                                new SqlParameterValue(Types.VARCHAR, answer == null ? null : answer.getContentType()),
                                new SqlParameterValue(Types.BINARY, answer == null ? null : kept(request, answer)))
                        .update()
                == 1;
    }

    /** The answer as the key's record keeps it: without the secret its endpoint shows only once. */
    private byte[] kept(HttpServletRequest request, ContentCachingResponseWrapper answer) {
        byte[] body = answer.getContentAsByteArray();
        String secret = endpoints.of(request).map(Endpoints.Endpoint::secret).orElse("");
        if (secret.isEmpty() || answer.getStatus() >= 400) {
            return body;
        }
        JsonNode tree = ANSWERS.readTree(body);
        if (tree instanceof ObjectNode object) {
            object.remove(secret);
        }
        return ANSWERS.writeValueAsBytes(tree);
    }

    /** Keeps a successful answer for replay; the first answer stored stays. */
    private void storeAnswer(ApiPrincipal principal, String key, ContentCachingResponseWrapper response) {
        jdbc.sql("update idempotency_record set response_status = ?, response_content_type = ?, response_body = ?"
                        + " where " + owner(principal) + " = ? and key = ? and response_status is null")
                .params(
                        response.getStatus(),
                        response.getContentType(),
                        response.getContentAsByteArray(),
                        principal.id(),
                        key)
                .update();
    }

    /**
     * What identifies a request to operations that are idempotent by themselves: the API key (or the user) and its
     * key. A key's stays {@code <key id>:<key>}, as before users could sign in.
     */
    static String requestKey(ApiPrincipal principal, HttpServletRequest request) {
        return requestKey(principal, request.getHeader(HEADER));
    }

    /** The same for a key read before: two requests share it exactly when they share their record. */
    static String requestKey(ApiPrincipal principal, String key) {
        return principal.idempotencyScope() + ":" + key;
    }

    /** The column of the record's owner: a user's keys never meet an API key's. */
    private static String owner(ApiPrincipal principal) {
        return principal.isUser() ? "staff_user_id" : "api_key_id";
    }

    /** The body as hashed: without the fields its endpoint declares passwords. Not JSON: nothing of it. */
    private static byte[] withoutPasswords(byte[] body, Set<String> passwords) {
        if (passwords.isEmpty()) {
            return body;
        }
        try {
            JsonNode tree = ANSWERS.readTree(body);
            if (!(tree instanceof ObjectNode object)) {
                return new byte[0];
            }
            object.remove(passwords);
            return ANSWERS.writeValueAsBytes(object);
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    private void outsideTransaction(
            ApiPrincipal principal,
            String key,
            byte[] hash,
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            CachedBodyRequest cachedRequest,
            ContentCachingResponseWrapper cachedResponse)
            throws IOException, ServletException {
        boolean first = insertRecord(principal, key, hash, request, null);
        if (!first && replay(earlier(principal, key).orElseThrow(), hash, response)) {
            return;
        }
        chain.doFilter(cachedRequest, cachedResponse);
        int status = cachedResponse.getStatus();
        if (status < 400) {
            storeAnswer(principal, key, cachedResponse);
        } else if (first) {
            jdbc.sql("delete from idempotency_record where " + owner(principal)
                            + " = ? and key = ? and response_status is null")
                    .params(principal.id(), key)
                    .update();
        }
        cachedResponse.copyBodyToResponse();
    }

    /**
     * Answers from the earlier request with this key: a 422 when it was another request, its stored answer when
     * it has one. False when it is still running (only for {@link Idempotent.Mode#BY_ITS_OPERATIONS} routes).
     */
    private boolean replay(Map<String, Object> earlier, byte[] hash, HttpServletResponse response) throws IOException {
        if (!Arrays.equals((byte[]) earlier.get("request_hash"), hash)) {
            problems.write(
                    response,
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency-key-reused",
                    "this Idempotency-Key was used for a different request");
            return true;
        }
        if (earlier.get("response_status") == null) {
            return false;
        }
        response.setStatus(((Number) earlier.get("response_status")).intValue());
        if (earlier.get("response_content_type") != null) {
            response.setContentType((String) earlier.get("response_content_type"));
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.getOutputStream().write((byte[]) earlier.get("response_body"));
        return true;
    }

    private Optional<Map<String, Object>> earlier(ApiPrincipal principal, String key) {
        return jdbc
                .sql("select request_hash, response_status, response_content_type, response_body"
                        + " from idempotency_record where " + owner(principal) + " = ? and key = ?")
                .params(principal.id(), key)
                .query()
                .listOfRows()
                .stream()
                .findFirst();
    }

    private static byte[] hash(String method, String path, byte[] body) {
        MessageDigest sha = Sha256.digest();
        sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(body);
        return sha.digest();
    }

    private enum Outcome {
        DONE,
        FAILED,
        /** Another request inserted the key's record first. */
        EARLIER
    }

    private static final class WrappedException extends RuntimeException {
        WrappedException(Exception cause) {
            super(cause);
        }
    }

    /** The body was read to hash it; the controller reads this copy. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
