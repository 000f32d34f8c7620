package io.kopek.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /api/**} needs an API key ({@code Authorization: Bearer kpk_...}). What each role may do is declared on
 * each endpoint ({@link Allowed}) and checked by {@link Endpoints} before a request is read, so a forbidden call is
 * a 403 whatever its body. Customer keys are further limited to their own customer by the endpoints. Health
 * (without details) and the API documentation stay open; metrics need an admin's or an operator's key.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

    private static final String ADMIN = "ADMIN",
            ACCOUNTANT = "ACCOUNTANT",
            FINANCE = "FINANCE",
            OPERATOR = "OPERATOR",
            CUSTOMER = "CUSTOMER";

    @Bean
    @org.springframework.core.annotation.Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http, ApiKeys keys, ProblemWriter problems, Endpoints endpoints)
            throws Exception {
        return http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // An ASYNC dispatch only finishes the answer of a request authorized at its start (a stream of
                // server-sent events that ends): the key is not read again then, so it would be refused.
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC)
                        .permitAll()
                        .anyRequest()
                        .access(endpoints))
                .addFilterBefore(new ApiKeyFilter(keys, problems), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> problems.write(
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "unauthenticated",
                                "send an API key as 'Authorization: Bearer kpk_...'"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(
                                response, HttpStatus.FORBIDDEN, "forbidden", "this API key's role may not do that")))
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

    static final class ApiKeyFilter extends OncePerRequestFilter {

        private final ApiKeys keys;
        private final ProblemWriter problems;

        ApiKeyFilter(ApiKeys keys, ProblemWriter problems) {
            this.keys = keys;
            this.problems = problems;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7)
                    : request.getHeader("X-Api-Key");
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
