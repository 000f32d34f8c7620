package io.kopek.notification.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF rule: a webhook goes to the public internet only. Its host is resolved (at registration and again before
 * every attempt, since DNS can change) and every address it resolves to must be public: loopback, private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), unspecified,
 * "this network" (0/8), CGNAT (100.64/10), multicast and broadcast are refused, unless a configured CIDR
 * ({@code kopek.notifications.webhooks.allowed-networks}) allows them.
 */
final class Destinations {

    /** Why a URL may not be called; the message is written in the delivery log and in API problems. */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    private final boolean allowHttp;
    private final List<Cidr> allowed;

    Destinations(boolean allowHttp, List<String> allowedNetworks) {
        this.allowHttp = allowHttp;
        this.allowed = allowedNetworks.stream().map(Cidr::parse).toList();
    }

    /** The URL as registered: absolute, http(s) (https unless allowed), a host, no user info or fragment. */
    URI parse(String url) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw new RefusedException("a URL is required");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new RefusedException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new RefusedException("the URL must be absolute, https://...");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw new RefusedException("the URL must be https (plain http is not allowed here)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new RefusedException("the URL has no host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new RefusedException("the URL may have no user info and no fragment");
        }
        return uri;
    }

    /** Resolves the host and answers its addresses, all allowed; refused when any is not. */
    List<InetAddress> check(URI uri) throws RefusedException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new RefusedException("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null && allowed.stream().noneMatch(c -> c.contains(address))) {
                throw new RefusedException("refused by the SSRF rule: " + host + " resolves to "
                        + address.getHostAddress() + ", a " + why + " address");
            }
        }
        return List.of(addresses);
    }

    /** What kind of address is not public, or null when it is. */
    static String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "\"this network\"";
            }
            if (first == 100 && (second & 0xc0) == 64) {
                return "CGNAT";
            }
            if (first == 255 && (b[1] & b[2] & b[3] & 0xff) == 0xff) {
                return "broadcast";
            }
        } else if ((b[0] & 0xfe) == 0xfc) {
            return "private";
        }
        return null;
    }

    /** A network in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String cidr) {
            String[] parts = cidr.strip().split("/", 2);
            try {
                if (!parts[0].matches("[0-9a-fA-F:.]+")) { // a literal only: never a name to look up
                    throw new IllegalArgumentException("not an address");
                }
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range");
                }
                return new Cidr(network, prefix);
            } catch (IllegalArgumentException | java.net.UnknownHostException e) {
                throw new IllegalArgumentException(
                        "kopek.notifications.webhooks.allowed-networks: " + cidr + " is not a CIDR", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
