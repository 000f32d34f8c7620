package io.kopek.api;

import io.kopek.errors.KopekException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Customer keys see only their own customer. Someone else's object answers 404, exactly as if it did not
 * exist, so a customer cannot even learn which ids are taken.
 */
final class Access {

    private Access() {}

    /** The request's caller as the security filters authenticated it (an API key or a signed-in user), if any. */
    static Optional<ApiPrincipal> caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal
                ? Optional.of(principal)
                : Optional.empty();
    }

    static void requireOwn(ApiPrincipal caller, long customerId, String what, Object id) {
        if (caller.isCustomer() && caller.customerId() != customerId) {
            throw KopekException.notFound(what, id);
        }
    }

    /** A customer's lists are always filtered to itself, whatever it asked for. */
    static Long scope(ApiPrincipal caller, Long requestedCustomerId) {
        return caller.isCustomer() ? caller.customerId() : requestedCustomerId;
    }

    /** A code from a request (a status, a role; any case) as its enum; an unknown one is a 422 naming it. */
    static <E extends Enum<E>> E code(String value, Class<E> type, String what) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // "invoice status" -> invalid-status, "role" -> invalid-role
            String problem = "invalid-" + what.substring(what.lastIndexOf(' ') + 1);
            throw KopekException.invalid(problem, "unknown " + what + " " + value);
        }
    }
}
