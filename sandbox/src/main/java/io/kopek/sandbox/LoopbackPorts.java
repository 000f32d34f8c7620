package io.kopek.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port for a server that will bind it later: the demo names its simulators', mail server's and search
 * node's addresses in the application's configuration before they listen, and the search node binds its port 10 to 25
 * seconds after it was chosen.
 *
 * <p>A port that the kernel handed out for port 0 lies in its ephemeral range, where during that wait any outgoing
 * connection's local end or any other server's port 0 may take it, and where a client polling the port before its
 * server listens can connect to itself (TCP's simultaneous open on loopback), which holds the port too. So the port is
 * chosen below that range ({@code /proc/sys/net/ipv4/ip_local_port_range}), where the kernel never picks one by
 * itself, and checked free by binding it once. Where the range leaves no room below it, the kernel's own choice.
 */
public final class LoopbackPorts {

    /** The lowest port chosen: above the registered services' usual ports. */
    static final int LOWEST = 20_000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {}

    /** A port free on loopback now, outside the kernel's ephemeral range where there is room. */
    public static int free() {
        return free(EPHEMERAL_RANGE);
    }

    /** {@link #free()} with the kernel's range read from the file given. */
    static int free(Path ephemeralRange) {
        int below = ephemeralLow(ephemeralRange);
        if (below - LOWEST >= 1_000) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = random.nextInt(LOWEST, below);
                if (bindable(port)) {
                    return port;
                }
            }
        }
        return bound(0);
    }

    /** The low end of the kernel's ephemeral range, or 0 (no room) where it cannot be read. */
    private static int ephemeralLow(Path range) {
        try {
            // not Files.readString: it trusts the size a /proc file reports and returned "3" of "32768\t60999"
            String[] ends = Files.readAllLines(range).getFirst().trim().split("\\s+");
            return Integer.parseInt(ends[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    private static boolean bindable(int port) {
        try {
            bound(port);
            return true;
        } catch (UncheckedIOException taken) {
            return false;
        }
    }

    private static int bound(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // without SO_REUSEADDR: a port still held by a closing connection (TIME_WAIT) counts as taken
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
