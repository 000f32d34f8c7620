package io.kopek.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {

    @TempDir
    Path dir;

    @Test
    void portsAreChosenBelowTheKernelsEphemeralRangeAndCanBeBound() throws Exception {
        Path range = Files.writeString(dir.resolve("range"), "32768\t60999\n");
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.free(range);
            assertThat(port).isBetween(LoopbackPorts.LOWEST, 32_767);
            chosen.add(port);
        }
        assertThat(chosen).as("chosen at random, not one port for everyone").hasSizeGreaterThan(150);
        int port = LoopbackPorts.free(range);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void onThisMachinePortsComeFromBelowTheKernelsOwnRange() throws Exception {
        Path kernel = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(kernel), "a Linux kernel's ephemeral range");
        int low;
        try (var in = Files.newInputStream(kernel)) {
            low = Integer.parseInt(new String(in.readAllBytes()).trim().split("\\s+")[0]);
        }
        assumeTrue(low - LoopbackPorts.LOWEST >= 1_000, "room below the range");
        for (int i = 0; i < 50; i++) {
            assertThat(LoopbackPorts.free()).isBetween(LoopbackPorts.LOWEST, low - 1);
        }
    }

    @Test
    void aPortInUseIsNotChosen() throws Exception {
        // below a range that leaves 1,000 ports, every other one held by a listening server: only free ones come back
        int low = LoopbackPorts.LOWEST + 1_000;
        Path range = Files.writeString(dir.resolve("range"), low + " 60999");
        List<ServerSocket> held = new ArrayList<>();
        Set<Integer> heldPorts = new HashSet<>();
        try {
            for (int port = LoopbackPorts.LOWEST; port < low; port += 2) {
                ServerSocket server = new ServerSocket();
                try {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    held.add(server);
                    heldPorts.add(port);
                } catch (IOException taken) {
                    server.close(); // in use already: as good as held
                    heldPorts.add(port);
                }
            }
            for (int i = 0; i < 100; i++) {
                int port = LoopbackPorts.free(range);
                assertThat(port).isBetween(LoopbackPorts.LOWEST, low - 1).isNotIn(heldPorts);
            }
        } finally {
            for (ServerSocket server : held) {
                server.close();
            }
        }
    }

    @Test
    void withNoRoomBelowTheRangeOrNoRangeToReadTheKernelChooses() throws Exception {
        Path wide = Files.writeString(dir.resolve("wide"), "1024 65535");
        Path missing = dir.resolve("missing");
        for (Path range : new Path[] {wide, missing}) {
            int port = LoopbackPorts.free(range);
            assertThat(port).isPositive();
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
