package io.kopek.provider;

import java.util.Map;

/**
 * An HTTP callback as it arrived: who sent it, its headers (lower-case names), its query or form parameters, and
 * its body. Providers authenticate it by whatever their protocol offers: a signature, a checksum, an address.
 */
public record Callback(String remoteAddress, Map<String, String> headers, Map<String, String> parameters, byte[] body) {

    public Callback {
        headers = Map.copyOf(headers);
        parameters = Map.copyOf(parameters);
        body = body == null ? new byte[0] : body.clone();
    }
}
