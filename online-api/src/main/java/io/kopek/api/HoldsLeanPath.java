package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests a merchant's backend sends most, placing a hold and capturing it, answered without Spring MVC's
 * general dispatch (handler lookup among every mapping, argument resolvers, message converters chosen per request,
 * return value handlers: about a third of the application's CPU per request in the api benchmark's profile,
 * bench/README.md) and committed in batches with the concurrent others ({@link HoldBatches}). The
 * security filters and the role matrix ran before it; the body is read by the API's own JSON mapper and checked by
 * the same bean validation as {@link HoldsApi}'s {@code @Valid}; the work is what {@link HoldsApi} asks of billing's
 * holds; the idempotency record is kept by the batch, by {@link Idempotency}'s rules; a refusal is answered by Spring
 * MVC's exception resolvers ({@link Problems}), as it would be there.
 *
 * <p>Only the plain case is taken: an idempotency key, a JSON body that reads and validates, and an answer in JSON.
 * Anything else (no key, no body, another media type, a body that does not read or validate) goes on to
 * {@link Idempotency} and Spring MVC untouched, which answer it as before; the body was only read, so nothing has
 * happened yet.
 */
@Component
@ConditionalOnRole(Role.API)
@Order(Ordered.LOWEST_PRECEDENCE - 15) // before Idempotency (LOWEST_PRECEDENCE - 10): the batch keeps the records
class HoldsLeanPath extends OncePerRequestFilter {

    private static final String HOLDS = "/api/v1/holds";
    private static final String CAPTURE = "/capture";

    // Resolved at the first request, not when Tomcat initialises its filters: taking the batches then would build
    // the whole service graph inside the web server's start, and a missing setting would fail there, not as Kopek's
    // one-line start-up failure.
    private final ObjectProvider<HoldBatches> batches;
    private final ObjectProvider<Idempotency> idempotency;
    private final ObjectProvider<JsonMapper> json;
    private final ObjectProvider<Validator> validator;
    private final ObjectProvider<HandlerExceptionResolver> errors;
    private volatile Json readers;

    private record Json(ObjectReader place, ObjectReader capture) {}

    HoldsLeanPath(
            ObjectProvider<HoldBatches> batches,
            ObjectProvider<Idempotency> idempotency,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<Validator> validator,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> errors) {
        this.batches = batches;
        this.idempotency = idempotency;
        this.json = json;
        this.validator = validator;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith(HOLDS);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        boolean place = uri.length() == HOLDS.length();
        long captured = place ? 0 : captureOf(uri);
        Optional<ApiPrincipal> known = Access.caller();
        String key = Idempotency.keyOf(request);
        if ((!place && captured <= 0) || !jsonBody(request) || !jsonAnswer(request) || known.isEmpty() || key == null) {
            chain.doFilter(request, response);
            return;
        }
        ApiPrincipal caller = known.get();
        Json io = json();
        // read to the length the request gives (RequestBodyLimit has bounded it): readAllBytes takes a 16 KiB buffer
        // for a body of a hundred bytes, a third of what a request allocated (JFR, 2026-12-05)
        int length = request.getContentLength();
        byte[] body = length >= 0
                ? request.getInputStream().readNBytes(length)
                : request.getInputStream().readAllBytes();
        var passOn = new Idempotency.CachedBodyRequest(request, body);
        Object read;
        try {
            read = place ? io.place().readValue(body) : io.capture().readValue(body);
        } catch (JacksonException e) {
            chain.doFilter(passOn, response); // Spring MVC names what is wrong, as for any other endpoint
            return;
        }
        if (read == null || !validator.getObject().validate(read).isEmpty()) {
            chain.doFilter(passOn, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(c -> c.setPathPattern(place ? HOLDS : HOLDS + "/{id}" + CAPTURE));
        Idempotency records = idempotency.getObject();
        byte[] hash = records.requestHash(request, body);
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

    private Json json() {
        Json known = readers;
        if (known == null) {
            JsonMapper mapper = json.getObject();
            known = new Json(mapper.readerFor(HoldsApi.PlaceHold.class), mapper.readerFor(HoldsApi.Capture.class));
            readers = known;
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
}
