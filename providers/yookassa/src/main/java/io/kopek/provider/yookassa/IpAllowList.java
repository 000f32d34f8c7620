package io.kopek.provider.yookassa;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Addresses and CIDR ranges (IPv4 and IPv6) that callbacks may come from. */
final class IpAllowList {

    private record Range(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    IpAllowList(List<String> entries) {
        this.ranges = entries.stream().map(IpAllowList::parse).toList();
    }

    private static Range parse(String entry) {
        String[] parts = entry.strip().split("/");
        byte[] network = literal(parts[0]);
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("bad prefix in " + entry);
        }
        return new Range(network, prefix);
    }

    /** Only numeric addresses: an allow-list entry must never trigger a DNS lookup. */
    private static byte[] literal(String address) {
        if (!address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }

    boolean allows(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = literal(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return ranges.stream().anyMatch(r -> r.contains(bytes));
    }
}
