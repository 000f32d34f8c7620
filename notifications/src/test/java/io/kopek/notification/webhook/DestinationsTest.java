package io.kopek.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF rule: only public addresses, unless a configured network allows more; https unless http is allowed. */
class DestinationsTest {

    private final Destinations production = new Destinations(false, List.of());

    @Test
    void privateLinkLocalMetadataLoopbackAndOtherNonPublicAddressesAreRefused() {
        for (String host : List.of(
                "10.0.0.1",
                "172.16.5.4",
                "192.168.1.1",
                "169.254.169.254",
                "127.0.0.1",
                "0.0.0.0",
                "100.64.0.1",
                "224.0.0.1",
                "[::1]",
                "[fd00::1]",
                "[fe80::1]",
                "[::]")) {
            assertThatThrownBy(() -> production.check(URI.create("https://" + host + "/hook")))
                    .as(host)
                    .isInstanceOf(Destinations.RefusedException.class)
                    .hasMessageContaining("refused by the SSRF rule");
        }
    }

    @Test
    void theMetadataAddressIsNamedAsLinkLocal() {
        assertThatThrownBy(() -> production.check(URI.create("https://169.254.169.254/latest/meta-data")))
                .hasMessage(
                        "refused by the SSRF rule: 169.254.169.254 resolves to 169.254.169.254, a link-local address");
    }

    @Test
    void aHostNameThatResolvesToLoopbackIsRefusedAtResolution() {
        assertThatThrownBy(() -> production.check(URI.create("https://localhost:8443/hook")))
                .isInstanceOf(Destinations.RefusedException.class)
                .hasMessageContaining("localhost resolves to")
                .hasMessageContaining("loopback");
    }

    @Test
    void publicAddressesPass() throws Exception {
        assertThat(production.check(URI.create("https://93.184.215.14/hook"))).hasSize(1);
        assertThat(production.check(URI.create("https://8.8.8.8/hook"))).hasSize(1);
        assertThat(Destinations.refusal(java.net.InetAddress.getByName("100.128.0.1")))
                .isNull();
        assertThat(Destinations.refusal(java.net.InetAddress.getByName("172.32.0.1")))
                .isNull();
    }

    @Test
    void aConfiguredNetworkAllowsWhatItContainsOnly() throws Exception {
        Destinations demo = new Destinations(true, List.of("127.0.0.0/8", "::1/128"));

        assertThat(demo.check(URI.create("http://127.0.0.1:8080/hook"))).hasSize(1);
        assertThat(demo.check(URI.create("http://127.8.9.10/hook"))).hasSize(1);
        assertThat(demo.check(URI.create("http://[::1]/hook"))).hasSize(1);
        assertThatThrownBy(() -> demo.check(URI.create("http://10.0.0.1/hook")))
                .hasMessageContaining("a private address");
    }

    @Test
    void urlsMustBeAbsoluteHttpsWithAHostAndNoCredentials() {
        assertThatThrownBy(() -> production.parse("http://example.com/hook")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> production.parse("/hook")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> production.parse("ftp://example.com/")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> production.parse("https://user:pw@example.com/"))
                .hasMessageContaining("user info");
        assertThatThrownBy(() -> new Destinations(false, List.of("localhost/8")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
