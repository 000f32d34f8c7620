package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests a merchant's backend sends most, placing a hold and capturing it, answered ahead of every filter
 * of general use and of Spring MVC's dispatch, and committed in batches with the concurrent others
 * ({@link HoldBatches}). In the api benchmark's profile the filters alone (Spring Security's chain of twelve, the
 * observation, the request context, each {@code OncePerRequestFilter}'s bookkeeping) took ~45 % of a request
 * thread's CPU, and Spring MVC's general dispatch about a third before that (bench/README.md).
 *
 * <p>What those filters do for this request is done here, by the same parts: the API key is authenticated by
 * {@link ApiKeys} and the caller's role checked against the endpoint's {@link Allowed} by {@link Endpoints}; the body
 * is bounded by {@link RequestBodyLimit}'s cap, read token by token as the API's JSON mapper reads it
 * ({@link HoldBodies}: anything but the plain shape goes to the mapper) and checked as {@link HoldsApi}'s {@code @Valid} checks it (by the records' own {@code valid()}, held to bean
 * validation's verdicts by HoldsLeanPathTest); the answer carries
 * Spring Security's default headers ({@link #SECURITY_HEADERS}) and is timed as {@code http.server.requests} with
 * the tags its observation gives ({@link Timers}); the work is what {@link HoldsApi} asks of billing's holds, the
 * idempotency record is kept by the batch, by {@link Idempotency}'s rules; a refusal is answered by Spring MVC's
 * exception resolvers ({@link Problems}), as it would be there.
 *
 * <p>Only the plain case is taken: an API key that is known and whose role the endpoint admits, an idempotency key,
 * no query, a JSON body of a declared length within the cap that reads and validates, and an answer in JSON.
 * Anything else (a session cookie instead of a key, an unknown key or a role refused, no key, another media type, a
 * body that does not read or validate) goes on through the filters and Spring MVC, which answer it as before; the
 * body was at most read, so nothing has happened yet.
 */
@Component
@ConditionalOnRole(Role.API)
@Order(Ordered.HIGHEST_PRECEDENCE) // before the observation's filter (HIGHEST_PRECEDENCE + 1) and all the others
class HoldsLeanPath implements Filter {

    private static final String HOLDS = "/api/v1/holds";
    private static final String CAPTURE = "/capture";
    private static final String CAPTURE_PATTERN = HOLDS + "/{id}" + CAPTURE;

    /**
     * What Spring Security's defaults write on every answer of the API's chain ({@link ApiSecurity}): no sniffing,
     * the XSS auditor off, no caching, no framing; and HSTS on a secure request ({@link #HSTS}). Written as they are,
     * not by Spring's writers, which look at the request and the answer's headers for each (5 % of a request
     * thread's CPU). ApplicationTest holds the lean answers' headers to those of the chain.
     */
    private static final List<Map.Entry<String, String>> SECURITY_HEADERS = List.of(
            Map.entry("X-Content-Type-Options", "nosniff"),
            Map.entry("X-XSS-Protection", "0"),
            Map.entry("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
            Map.entry("Pragma", "no-cache"),
            Map.entry("Expires", "0"),
            Map.entry("X-Frame-Options", "DENY"));

    private static final HeaderWriter HSTS = new HstsHeaderWriter();

    // Resolved at the first request, not when Tomcat initialises its filters: taking the batches then would build
    // the whole service graph inside the web server's start, and a missing setting would fail there, not as Kopek's
    // one-line start-up failure.
    private final ObjectProvider<HoldBatches> batches;
    private final ObjectProvider<Idempotency> idempotency;
    private final ObjectProvider<ApiKeys> keys;
    private final ObjectProvider<Endpoints> endpoints;
    private final ObjectProvider<JsonMapper> json;
    private final ObjectProvider<HandlerExceptionResolver> errors;
    private final RequestBodyLimit limit;
    private final Timers timers;

    private volatile Declared endpointsOfHolds;

    private record Declared(Endpoints.Endpoint place, Endpoints.Endpoint capture) {}

    HoldsLeanPath(
            ObjectProvider<HoldBatches> batches,
            ObjectProvider<Idempotency> idempotency,
            ObjectProvider<ApiKeys> keys,
            ObjectProvider<Endpoints> endpoints,
            ObjectProvider<JsonMapper> json,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> errors,
            RequestBodyLimit limit,
            ObjectProvider<MeterRegistry> meters,
            Environment environment) {
        this.batches = batches;
        this.idempotency = idempotency;
        this.keys = keys;
        this.endpoints = endpoints;
        this.json = json;
        this.errors = errors;
        this.limit = limit;
        this.timers = new Timers(meters, environment);
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)
                || !"POST".equals(request.getMethod())
                || !request.getRequestURI().startsWith(HOLDS)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        long started = System.nanoTime();
        String uri = request.getRequestURI();
        boolean place = uri.length() == HOLDS.length();
        long captured = place ? 0 : captureOf(uri);
        String key = Idempotency.keyOf(request);
        String presented = ApiSecurity.ApiKeyFilter.presented(request);
        int length = request.getContentLength();
        if ((!place && captured <= 0)
                || key == null
                || presented == null
                || request.getQueryString() != null // NulCharacters checks queries: there is none to check
                || length <= 0
                || length > limit.limitOf(request)
                || !jsonBody(request)
                || !jsonAnswer(request)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiPrincipal> known = keys.getObject().authenticate(presented);
        Declared declared = declared();
        Endpoints.Endpoint endpoint = declared == null ? null : place ? declared.place() : declared.capture();
        if (known.isEmpty()
                || endpoint == null
                || !endpoint.roles().contains(known.get().role())) {
            chain.doFilter(request, response); // the security filters answer it: 401 or 403
            return;
        }
        ApiPrincipal caller = known.get();
        byte[] body = request.getInputStream().readNBytes(length);
        JsonMapper mapper = json.getObject();
        Object read = place ? HoldBodies.place(mapper, body) : HoldBodies.capture(mapper, body);
        // the records' own checks, which HoldsLeanPathTest holds to bean validation's: its reflective walk of a
        // record took 8 % of a request thread's CPU (JFR)
        if (read == null || !(place ? ((HoldsApi.PlaceHold) read).valid() : ((HoldsApi.Capture) read).valid())) {
            // Spring MVC reads it with the API's mapper and validation, and names what is wrong
            chain.doFilter(new Idempotency.CachedBodyRequest(request, body), response);
            return;
        }
        for (Map.Entry<String, String> header : SECURITY_HEADERS) {
            response.setHeader(header.getKey(), header.getValue());
        }
        HSTS.writeHeaders(request, response); // only when the request is secure
        Throwable failed = null;
        try {
            answer(request, response, endpoint, place, captured, caller, key, body, read);
        } catch (IOException | ServletException | RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            // a refusal the exception resolvers answered is timed with exception "none", as Spring MVC times those
            timers.record(
                    place ? HOLDS : CAPTURE_PATTERN, failed == null ? response.getStatus() : 500, failed, started);
        }
    }

    /** Places or captures as the batch does it, and writes the answer. */
    private void answer(
            HttpServletRequest request,
            HttpServletResponse response,
            Endpoints.Endpoint endpoint,
            boolean place,
            long captured,
            ApiPrincipal caller,
            String key,
            byte[] body,
            Object read)
            throws IOException, ServletException {
        String uri = request.getRequestURI();
        Idempotency records = idempotency.getObject();
        byte[] hash = records.requestHash(request, body, endpoint);
        HoldBatches.Answer answer;
        try {
            answer = place
                    ? batches.getObject()
                            .place(new HoldBatches.Request<>(
                                    caller, key, hash, uri, ((HoldsApi.PlaceHold) read).placement(caller)))
                    : batches.getObject()
                            .capture(new HoldBatches.Request<>(
                                    caller, key, hash, uri, ((HoldsApi.Capture) read).of(captured)));
        } catch (RuntimeException e) {
            refuse(request, response, e);
            return;
        }
        switch (answer) {
            case HoldBatches.Answer.Done done -> {
                response.setStatus(done.status());
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setContentLength(done.body().length);
                response.getOutputStream().write(done.body());
            }
            case HoldBatches.Answer.Refused refused -> {
                // a repeat that finds its work done (a capture of the hold it captured) answers as it did then
                if (!records.replayEarlier(caller, key, hash, response)) {
                    refuse(request, response, refused.refusal());
                }
            }
            case HoldBatches.Answer.Earlier earlier -> {
                if (!records.replayEarlier(caller, key, hash, response)) {
                    records.endedMeanwhile(response);
                }
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, RuntimeException refusal)
            throws ServletException {
        if (errors.getObject().resolveException(request, response, null, refusal) == null) {
            throw new ServletException(refusal);
        }
    }

    /**
     * The two endpoints as their handlers declare them (who may call them, how their bodies are hashed), found once:
     * every request this path takes is one of them by its path's shape. Null if either is missing.
     */
    private Declared declared() {
        Declared known = endpointsOfHolds;
        if (known == null) {
            Endpoints all = endpoints.getObject();
            var place = all.declared(RequestMethod.POST, HOLDS);
            var capture = all.declared(RequestMethod.POST, CAPTURE_PATTERN);
            if (place.isEmpty() || capture.isEmpty()) {
                return null;
            }
            known = new Declared(place.get(), capture.get());
            endpointsOfHolds = known;
        }
        return known;
    }

    /** The hold's id of {@code /api/v1/holds/{id}/capture}; 0 for any other path under /api/v1/holds. */
    private static long captureOf(String uri) {
        if (!uri.endsWith(CAPTURE) || uri.charAt(HOLDS.length()) != '/') {
            return 0;
        }
        int from = HOLDS.length() + 1, to = uri.length() - CAPTURE.length();
        if (to <= from || to - from > 18) {
            return 0;
        }
        long id = 0;
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }

    private static boolean jsonBody(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null
                && type.regionMatches(true, 0, MediaType.APPLICATION_JSON_VALUE, 0, 16)
                && (type.length() == 16 || type.charAt(16) == ';');
    }

    /** No Accept, or one that takes JSON as it is: anything subtler is Spring MVC's content negotiation. */
    private static boolean jsonAnswer(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept == null
                || accept.isBlank()
                || accept.equals("*/*")
                || accept.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE);
    }

    /**
     * {@code http.server.requests} as the observation of Spring's {@code ServerHttpObservationFilter} records a
     * request: Spring's low-cardinality keys (exception, method, outcome, status, uri), Micrometer's {@code error} and
     * the common ones of {@code management.observations.key-values}. Each series' timer is found once, not its tags
     * built, sorted and looked up again on every request (7 % of a request thread's CPU). ApplicationTest counts a
     * lean answer and one of Spring MVC in the same series.
     */
    static final class Timers {

        private static final String NAME = "http.server.requests";

        private record Series(String uri, int status, String exception) {}

        private final ObjectProvider<MeterRegistry> meters;
        private final Tags common;
        private final Map<Series, Timer> known = new ConcurrentHashMap<>();
        private volatile MeterRegistry registry;

        Timers(ObjectProvider<MeterRegistry> meters, Environment environment) {
            this.meters = meters;
            Map<String, String> keyValues = Binder.get(environment)
                    .bind("management.observations.key-values", Bindable.mapOf(String.class, String.class))
                    .orElse(Map.of());
            this.common = Tags.of(keyValues.entrySet().stream()
                    .map(e -> Tag.of(e.getKey(), e.getValue()))
                    .toList());
        }

        void record(String uri, int status, Throwable error, long started) {
            MeterRegistry to = registry;
            if (to == null) {
                to = meters.getIfAvailable();
                if (to == null) {
                    return; // no metrics in this application
                }
                registry = to;
            }
            String exception = error == null ? "none" : error.getClass().getSimpleName();
            MeterRegistry in = to;
            known.computeIfAbsent(
                            new Series(uri, status, exception),
                            s -> Timer.builder(NAME)
                                    .tags(common)
                                    .tag("error", s.exception())
                                    .tag("exception", s.exception())
                                    .tag("method", "POST")
                                    .tag(
                                            "outcome",
                                            Outcome.forStatus(s.status()).name())
                                    .tag("status", Integer.toString(s.status()))
                                    .tag("uri", s.uri())
                                    .register(in))
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }
}
