package io.kopek.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /api/**} needs an API key ({@code Authorization: Bearer kpk_...}) or, without one, the session cookie of a
 * staff user signed in to the console ({@link SessionFilter}). What each role may do is declared on each endpoint
 * ({@link Allowed}) and checked by {@link Endpoints} before a request is read, for keys and users alike, so a
 * forbidden call is a 403 whatever its body. Customer keys are further limited to their own customer by the
 * endpoints. Health (without details) and the API documentation stay open; metrics need an admin's or an
 * operator's key.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StaffSecurityProperties.class)
class ApiSecurity {

    /** The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure unless configured otherwise. */
    static final String SESSION_COOKIE = "kopek_session";

    /** What a cookie-authenticated request that changes something must carry: the session's CSRF token. */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String ADMIN = "ADMIN",
            ACCOUNTANT = "ACCOUNTANT",
            FINANCE = "FINANCE",
            OPERATOR = "OPERATOR",
            CUSTOMER = "CUSTOMER";

    @Bean
    @org.springframework.core.annotation.Order(1)
    SecurityFilterChain apiFilterChain(
            HttpSecurity http, ApiKeys keys, StaffSessions sessions, ProblemWriter problems, Endpoints endpoints)
            throws Exception {
        return http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Filters that a stateless API with no login page or logout URL runs for nothing on every request
                // (the request cache, the logout matcher, the servlet API's request wrapper, whose every call
                // then goes through a wrapper): measured by the api benchmark, bench/README.md.
                .requestCache(c -> c.disable())
                .logout(l -> l.disable())
                .servletApi(a -> a.disable())
                // An ASYNC dispatch only finishes the answer of a request authorized at its start (a stream of
                // server-sent events that ends): the key is not read again then, so it would be refused.
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC)
                        .permitAll()
                        .anyRequest()
                        .access(endpoints))
                .addFilterBefore(new ApiKeyFilter(keys, problems), AuthorizationFilter.class)
                .addFilterBefore(new SessionFilter(sessions, endpoints, problems), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(
                                (request, response, ex) -> problems.write(
                                        response,
                                        HttpStatus.UNAUTHORIZED,
                                        "unauthenticated",
                                        "send an API key as 'Authorization: Bearer kpk_...', or sign in (POST /api/v1/session)"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                response, HttpStatus.FORBIDDEN, "forbidden", "this caller's role may not do that")))
                .build();
    }

    /**
     * The Actuator: health and info open to all (health's details, which name the database and the disk, only to
     * an admin key: {@code management.endpoint.health.show-details: when-authorized}); metrics and Prometheus
     * only to an admin's or an operator's key.
     */
    @Bean
    @org.springframework.core.annotation.Order(0)
    SecurityFilterChain actuatorFilterChain(HttpSecurity http, ApiKeys keys, ProblemWriter problems) throws Exception {
        return http.securityMatcher("/actuator/**")
                .csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // As on the API's chain, but the servlet API's wrapper stays: health's details are shown by
                // request.isUserInRole, which the wrapper answers from the API key's role.
                .requestCache(c -> c.disable())
                .logout(l -> l.disable())
                .authorizeHttpRequests(
                        a -> a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                                .permitAll()
                                .anyRequest()
                                .hasAnyRole(ADMIN, OPERATOR))
                .addFilterBefore(new ApiKeyFilter(keys, problems), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> problems.write(
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "unauthenticated",
                                "send an admin's or an operator's API key as 'Authorization: Bearer kpk_...'"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                response, HttpStatus.FORBIDDEN, "forbidden", "this API key's role may not do that")))
                .build();
    }

    @Bean
    @org.springframework.core.annotation.Order(2)
    SecurityFilterChain openFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .build();
    }

    /**
     * No observation of Spring Security's filters: besides the one per security filter per request that
     * {@code management.observations.enable.spring.security: false} turns into no-ops, this also takes away the
     * decorator that wraps each filter for them (about a tenth of the API's CPU per request, all told);
     * {@code http_server_requests} still times every request.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** No users and passwords: keeps Spring Boot from generating a default one. */
    @Bean
    UserDetailsService noUsers() {
        return username -> {
            throw new UsernameNotFoundException(username);
        };
    }

    @Bean
    BootstrapAdminKey bootstrapAdminKey(ApiKeys keys, @Value("${kopek.security.bootstrap-admin-key:}") String key) {
        return new BootstrapAdminKey(keys, key);
    }

    /** An admin key from configuration, so a fresh installation can issue the others. */
    record BootstrapAdminKey(ApiKeys keys, String key) {
        @EventListener(ApplicationReadyEvent.class)
        public void ensure() {
            if (key != null && !key.isBlank()) {
                keys.ensure(key, ApiRole.ADMIN, "bootstrap admin");
            }
        }
    }

    @Bean
    BootstrapAdminUser bootstrapAdminUser(StaffUsers users, StaffSecurityProperties properties) {
        return new BootstrapAdminUser(users, properties.bootstrapAdminUser(), properties.bootstrapAdminPassword());
    }

    /**
     * An admin user from configuration ({@code kopek.security.bootstrap-admin-user} and {@code -password}), created
     * if the login is free, so a fresh installation can sign in to the console and create the others; an existing
     * user of that login is left as it is.
     */
    record BootstrapAdminUser(StaffUsers users, String login, String password) {
        @EventListener(ApplicationReadyEvent.class)
        public void ensure() {
            if (login != null && !login.isBlank()) {
                if (password == null || password.isBlank()) {
                    throw new IllegalStateException("kopek.security.bootstrap-admin-user needs"
                            + " kopek.security.bootstrap-admin-password (KOPEK_SECURITY_BOOTSTRAP_ADMIN_PASSWORD)");
                }
                users.ensure(login, "Administrator", ApiRole.ADMIN, password);
            }
        }
    }

    /**
     * Without an API key, the {@code kopek_session} cookie authenticates a staff user as an {@link ApiPrincipal} of
     * the user's role. A request so authenticated that may change something (any method but GET, HEAD, OPTIONS)
     * must carry the session's CSRF token in {@code X-CSRF-Token}, or is a 403 {@code csrf}: SameSite=Strict keeps
     * other sites' requests from carrying the cookie in today's browsers, the token in older ones too. The endpoints
     * that ask no key (sign-in, providers' callbacks) do not read the cookie: signing in again with a stale or
     * another session's cookie works.
     */
    static final class SessionFilter extends OncePerRequestFilter {

        /** The request's {@link StaffSessions.Current}, for the session's own endpoints. */
        static final String CURRENT = SessionFilter.class.getName() + ".current";

        /** What may not change anything, so needs no CSRF token. */
        private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

        private final StaffSessions sessions;
        private final Endpoints endpoints;
        private final ProblemWriter problems;

        SessionFilter(StaffSessions sessions, Endpoints endpoints, ProblemWriter problems) {
            this.sessions = sessions;
            this.endpoints = endpoints;
            this.problems = problems;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String cookie = cookie(request);
            var known = SecurityContextHolder.getContext().getAuthentication();
            if (cookie == null
                    || (known != null && known.getPrincipal() instanceof ApiPrincipal)
                    || endpoints.of(request).map(Endpoints.Endpoint::withoutKey).orElse(false)) {
                chain.doFilter(request, response);
                return;
            }
            var current = sessions.current(cookie);
            if (current.isPresent()) {
                if (!SAFE_METHODS.contains(request.getMethod())
                        && !StaffSessions.sameToken(
                                request.getHeader(CSRF_HEADER), current.get().csrfToken())) {
                    problems.write(
                            response,
                            HttpStatus.FORBIDDEN,
                            "csrf",
                            "a signed-in request that changes something needs the session's token in " + CSRF_HEADER);
                    return;
                }
                ApiPrincipal principal = current.get().principal();
                SecurityContextHolder.getContext()
                        .setAuthentication(new UsernamePasswordAuthenticationToken(
                                principal,
                                null,
                                List.of(new SimpleGrantedAuthority(
                                        "ROLE_" + principal.role().name()))));
                request.setAttribute(CURRENT, current.get());
            }
            // an ended session reads as none: 401 where a caller is needed
            chain.doFilter(request, response);
        }

        private static String cookie(HttpServletRequest request) {
            if (request.getCookies() == null) {
                return null;
            }
            for (var c : request.getCookies()) {
                if (SESSION_COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
            return null;
        }
    }

    static final class ApiKeyFilter extends OncePerRequestFilter {

        private final ApiKeys keys;
        private final ProblemWriter problems;

        ApiKeyFilter(ApiKeys keys, ProblemWriter problems) {
            this.keys = keys;
            this.problems = problems;
        }

        /** The key a request presents: {@code Authorization: Bearer kpk_...}, else {@code X-Api-Key}; or null. */
        static String presented(HttpServletRequest request) {
            String header = request.getHeader("Authorization");
            return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7)
                    : request.getHeader("X-Api-Key");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String presented = presented(request);
            if (presented != null) {
                var principal = keys.authenticate(presented);
                if (principal.isEmpty()) {
                    problems.write(
                            response, HttpStatus.UNAUTHORIZED, "invalid-api-key", "the API key is unknown or revoked");
                    return;
                }
                var authentication = new UsernamePasswordAuthenticationToken(
                        principal.get(),
                        null,
                        List.of(new SimpleGrantedAuthority(
                                "ROLE_" + principal.get().role().name())));
                SecurityContextHolder.getContext().setAuthentication(authentication);
            }
            // The context is cleared by Spring Security's own holder filter; clearing it here would also drop the
            // anonymous token and turn a missing key's 401 into a 403.
            chain.doFilter(request, response);
        }
    }
}
