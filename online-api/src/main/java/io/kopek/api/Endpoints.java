package io.kopek.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The API's endpoints with what each declares next to its handler: who may call it ({@link Allowed}) and, for a
 * POST, how it is idempotent ({@link Idempotent}). Read once from Spring MVC's handler mappings, so the role matrix
 * and the idempotency modes are never a second list of URLs to keep in step; an endpoint under {@code /api/} that
 * declares neither stops the application at start-up.
 */
@Component
class Endpoints implements AuthorizationManager<RequestAuthorizationContext> {

    /** One method and path pattern of a handler, with what it declares. */
    record Endpoint(
            RequestMethod method,
            PathPattern pattern,
            Set<ApiRole> roles,
            boolean withoutKey,
            Idempotent.Mode idempotency,
            String secret,
            Set<String> passwords,
            String handler) {

        /** A line of the matrix: {@code POST /api/v1/holds  customer accountant admin  in_transaction}. */
        String line() {
            String who = withoutKey
                    ? "without a key"
                    : String.join(" ", roles.stream().map(ApiRole::code).toList());
            return method + " " + pattern.getPatternString() + "  " + who
                    + (idempotency == null ? "" : "  " + idempotency.name().toLowerCase(Locale.ROOT))
                    + (secret.isEmpty() ? "" : ", replayed without " + secret)
                    + (passwords.isEmpty() ? "" : ", hashed without " + String.join(" ", new TreeSet<>(passwords)));
        }
    }

    private static final String ATTRIBUTE = Endpoints.class.getName();

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private volatile List<Endpoint> endpoints;
    private volatile Map<String, List<Endpoint>> byResource;

    Endpoints(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /** Every endpoint under {@code /api/}, most specific pattern first. */
    List<Endpoint> all() {
        List<Endpoint> read = endpoints;
        if (read == null) {
            synchronized (this) {
                read = endpoints;
                if (read == null) {
                    read = read();
                    byResource = byResource(read);
                    endpoints = read;
                }
            }
        }
        return read;
    }

    /**
     * The endpoints by method and resource ({@code POST holds} for {@code POST /api/v1/holds/{id}/capture}), each
     * list most specific first, so that a request is matched against the few patterns of its resource, not all of
     * them; a pattern whose resource is a variable is in every list of its method.
     */
    private static Map<String, List<Endpoint>> byResource(List<Endpoint> all) {
        Map<String, List<Endpoint>> index = new java.util.HashMap<>();
        for (Endpoint e : all) {
            String resource = resource(e.pattern().getPatternString());
            index.computeIfAbsent(e.method() + " " + (resource == null ? "*" : resource), k -> new ArrayList<>())
                    .add(e);
        }
        // each resource's list takes its method's patterns of any resource too, in specificity order
        Map<String, List<Endpoint>> merged = new java.util.HashMap<>();
        index.forEach((key, list) -> {
            List<Endpoint> candidates = new ArrayList<>(list);
            if (!key.endsWith(" *")) {
                candidates.addAll(index.getOrDefault(key.substring(0, key.indexOf(' ')) + " *", List.of()));
            }
            candidates.sort(Comparator.comparing(Endpoint::pattern, PathPattern.SPECIFICITY_COMPARATOR));
            merged.put(key, List.copyOf(candidates));
        });
        return Map.copyOf(merged);
    }

    /** The third segment of {@code /api/v1/holds/...}, or null when it is a variable or missing. */
    private static String resource(String path) {
        String[] segments = path.split("/", 5);
        if (segments.length < 4 || segments[3].isEmpty() || segments[3].contains("{") || segments[3].contains("*")) {
            return null;
        }
        return segments[3];
    }

    /** Refuses to start when an endpoint does not say who may call it or how it is idempotent. */
    @EventListener(ContextRefreshedEvent.class)
    void check() {
        all();
    }

    /** The endpoint of this method and pattern, as its handler declares it ({@code /api/v1/holds/{id}/capture}). */
    Optional<Endpoint> declared(RequestMethod method, String pattern) {
        return all().stream()
                .filter(e ->
                        e.method() == method && e.pattern().getPatternString().equals(pattern))
                .findFirst();
    }

    /**
     * The endpoint a request is for, as Spring MVC would choose it: the most specific pattern that matches. Found
     * once per request (security asks first, then the idempotency filter).
     */
    @SuppressWarnings("unchecked")
    Optional<Endpoint> of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known != null) {
            return (Optional<Endpoint>) known;
        }
        Optional<Endpoint> found = find(request.getMethod(), request.getRequestURI());
        request.setAttribute(ATTRIBUTE, found);
        return found;
    }

    private Optional<Endpoint> find(String method, String uri) {
        all();
        String resource = resource(uri);
        List<Endpoint> candidates = byResource.get(method + " " + (resource == null ? "*" : resource));
        if (candidates == null) { // a resource no literal pattern names: only the method's patterns of any resource
            candidates = byResource.getOrDefault(method + " *", List.of());
        }
        PathContainer path = PathContainer.parsePath(uri);
        for (Endpoint e : candidates) {
            if (e.pattern().matches(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Admits a request when its endpoint admits the caller's role (or asks no key). A request for no endpoint is
     * refused, but for a GET by any key, which then reads as Spring MVC's not found.
     */
    @Override
    public AuthorizationResult authorize(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Optional<Endpoint> endpoint = of(context.getRequest());
        if (endpoint.isPresent() && endpoint.get().withoutKey()) {
            return new AuthorizationDecision(true);
        }
        Authentication caller = authentication.get();
        if (caller == null || !(caller.getPrincipal() instanceof ApiPrincipal principal)) {
            return new AuthorizationDecision(false);
        }
        if (endpoint.isEmpty()) {
            return new AuthorizationDecision(context.getRequest().getMethod().equals("GET"));
        }
        return new AuthorizationDecision(endpoint.get().roles().contains(principal.role()));
    }

    private List<Endpoint> read() {
        List<Endpoint> found = new ArrayList<>();
        List<String> undeclared = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : mappings) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                    mapping.getHandlerMethods().entrySet()) {
                RequestMappingInfo info = entry.getKey();
                HandlerMethod handler = entry.getValue();
                if (info.getPathPatternsCondition() == null) {
                    continue;
                }
                for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
                    if (!pattern.getPatternString().startsWith("/api/")) {
                        continue;
                    }
                    String name = handler.getBeanType().getSimpleName() + "."
                            + handler.getMethod().getName();
                    Allowed allowed = handler.getMethodAnnotation(Allowed.class);
                    Idempotent idempotent = handler.getMethodAnnotation(Idempotent.class);
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    if (allowed == null || (allowed.value().length == 0 && !allowed.withoutKey())) {
                        undeclared.add(name + " does not say who may call it (@Allowed)");
                        continue;
                    }
                    if (methods.contains(RequestMethod.POST) && !allowed.withoutKey() && idempotent == null) {
                        undeclared.add(name + " does not say how it is idempotent (@Idempotent)");
                        continue;
                    }
                    Set<ApiRole> roles = allowed.value().length == 0
                            ? EnumSet.noneOf(ApiRole.class)
                            : EnumSet.copyOf(List.of(allowed.value()));
                    for (RequestMethod method : methods) {
                        found.add(new Endpoint(
                                method,
                                pattern,
                                roles,
                                allowed.withoutKey(),
                                method == RequestMethod.POST && idempotent != null ? idempotent.value() : null,
                                idempotent == null ? "" : idempotent.secret(),
                                idempotent == null ? Set.of() : Set.of(idempotent.passwords()),
                                name));
                    }
                }
            }
        }
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("API endpoints that declare too little: " + undeclared);
        }
        found.sort(Comparator.comparing(Endpoint::pattern, PathPattern.SPECIFICITY_COMPARATOR)
                .thenComparing(Endpoint::method));
        return List.copyOf(found);
    }
}
