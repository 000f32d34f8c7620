package io.kopek.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A NUL character (0x00) is refused at the edge, naming where it was: PostgreSQL cannot store it in text, so
 * letting it through turned a bad request into a 500. Query parameters are checked here, before anything runs;
 * strings in JSON bodies by {@link #IN_JSON}, which the API's JSON configuration registers (and which refuses a card
 * number too: {@link CardNumbers}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class NulCharacters extends OncePerRequestFilter {

    static final String PROBLEM = "nul-character";

    /** Strings in request bodies: one with a NUL is a malformed request at that field. */
    static final StringDeserializer IN_JSON = new StringDeserializer() {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw MismatchedInputException.from(p, String.class, PROBLEM);
            }
            CardNumbers.refuse(p, value);
            return value;
        }
    };

    private final ProblemWriter problems;

    NulCharacters(ProblemWriter problems) {
        this.problems = problems;
    }

    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // not ours to judge here: the parameter's own reading refuses it
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The query string alone: reading parameters would consume a form-encoded body (a provider's callback).
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decoded(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decoded(pair.substring(eq + 1));
                if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    problems.write(
                            response,
                            HttpStatus.BAD_REQUEST,
                            PROBLEM,
                            "parameter '" + name.replace('\0', '?') + "' contains a NUL character (0x00)");
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
