package io.kopek.api;

import io.kopek.billing.Hold;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests a merchant's backend sends most, placing a hold and capturing it, answered without Spring MVC's
 * general dispatch (handler lookup among every mapping, argument resolvers, message converters chosen per request,
 * return value handlers): about a third of the application's CPU per request in the api benchmark's profile
 * (bench/README.md). Everything else of the request stays: the security filters and the role matrix ran before it,
 * the {@link Idempotency} filter's transaction and record wrap it, the body is read by the API's own JSON mapper and
 * checked by the same bean validation as {@link HoldsApi}'s {@code @Valid}, the work is {@link HoldsApi}'s own
 * methods, and a refusal is answered by Spring MVC's exception resolvers ({@link Problems}), as it would be there.
 *
 * <p>Only the plain case is taken: a JSON body that reads and validates, and an answer in JSON. Anything else (no
 * body, another media type, a body that does not read or validate) goes on to Spring MVC untouched, which answers it
 * as before; the body was only read, so nothing has happened yet.
 */
@Component
@ConditionalOnRole(Role.API)
@Order(Ordered.LOWEST_PRECEDENCE - 5) // inside Idempotency's transaction (LOWEST_PRECEDENCE - 10)
class HoldsLeanPath extends OncePerRequestFilter {

    private static final String HOLDS = "/api/v1/holds";
    private static final String CAPTURE = "/capture";

    // Resolved at the first request, not when Tomcat initialises its filters: taking HoldsApi then would build the
    // whole service graph inside the web server's start, and a missing setting would fail there, not as Kopek's
    // one-line start-up failure.
    private final ObjectProvider<HoldsApi> api;
    private final ObjectProvider<JsonMapper> json;
    private final ObjectProvider<Validator> validator;
    private final ObjectProvider<HandlerExceptionResolver> errors;
    private volatile Json readers;

    private record Json(ObjectReader place, ObjectReader capture, ObjectWriter hold) {}

    HoldsLeanPath(
            ObjectProvider<HoldsApi> api,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<Validator> validator,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> errors) {
        this.api = api;
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
        if ((!place && captured <= 0) || !jsonBody(request) || !jsonAnswer(request) || known.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ApiPrincipal caller = known.get();
        Json io = json();
        byte[] body = request.getInputStream().readAllBytes();
        Object read;
        try {
            read = place ? io.place().readValue(body) : io.capture().readValue(body);
        } catch (JacksonException e) {
            chain.doFilter(request, response); // Spring MVC names what is wrong, as for any other endpoint
            return;
        }
        if (read == null || !validator.getObject().validate(read).isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(c -> c.setPathPattern(place ? HOLDS : HOLDS + "/{id}" + CAPTURE));
        Hold hold;
        try {
            hold = place
                    ? api.getObject().place((HoldsApi.PlaceHold) read, caller)
                    : api.getObject().capture(captured, (HoldsApi.Capture) read);
        } catch (Exception e) {
            if (errors.getObject().resolveException(request, response, null, e) == null) {
                throw new ServletException(e);
            }
            return;
        }
        byte[] answer = io.hold().writeValueAsBytes(hold);
        response.setStatus(place ? HttpStatus.CREATED.value() : HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    private Json json() {
        Json known = readers;
        if (known == null) {
            JsonMapper mapper = json.getObject();
            known = new Json(
                    mapper.readerFor(HoldsApi.PlaceHold.class),
                    mapper.readerFor(HoldsApi.Capture.class),
                    mapper.writerFor(Hold.class));
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
