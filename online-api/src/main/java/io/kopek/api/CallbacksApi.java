package io.kopek.api;

import io.kopek.cardpayment.ProviderCallbacks;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.provider.Callback;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where payment providers deliver their callbacks: {@code /api/v1/callbacks/{provider}}, GET (Sber) or POST
 * (YooKassa, JSON processors). No API key; the provider authenticates its own callbacks. 200 when verified
 * (applied, or not about a payment of ours), 403 from an address the provider does not send from (checked before
 * the body is read), 400 when malformed, 401 when it cannot be authenticated, 503 when the provider could not be
 * asked to confirm it (providers deliver again on anything but 200). The sender's address is the
 * connection's; behind a proxy set {@code server.forward-headers-strategy} so it is the client's.
 */
@RestController
@ConditionalOnRole(Role.API)
class CallbacksApi {

    private final ProviderCallbacks callbacks;

    CallbacksApi(ProviderCallbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Allowed(withoutKey = true)
    @RequestMapping(
            path = "/api/v1/callbacks/{provider}",
            method = {RequestMethod.GET, RequestMethod.POST},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> receive(@PathVariable String provider, HttpServletRequest request) throws IOException {
        if (!callbacks.knows(provider)) {
            throw KopekException.notFound("payment provider", provider);
        }
        callbacks.admit(provider, request.getRemoteAddr()); // before a byte of the body is read
        byte[] body = request.getInputStream().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        addForm(parameters, request.getQueryString());
        if (request.getContentType() != null
                && request.getContentType().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            addForm(parameters, new String(body, StandardCharsets.UTF_8));
        }
        var outcome = callbacks.handle(provider, new Callback(request.getRemoteAddr(), headers, parameters, body));
        return Map.of("status", outcome.name().toLowerCase(Locale.ROOT));
    }

    private static void addForm(Map<String, String> into, String form) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            into.putIfAbsent(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }
}
