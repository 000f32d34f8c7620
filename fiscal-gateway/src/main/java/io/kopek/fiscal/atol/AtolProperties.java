package io.kopek.fiscal.atol;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.fiscal.atol.*}: ATOL Online API v5.
 *
 * @param enabled whether the ATOL operator is available (pick it with {@code kopek.fiscal.operator=atol})
 * @param baseUrl the API root ({@code .../possystem/v5/}); {@code https://testonline.atol.ru/possystem/v5/} for
 *     ATOL's test environment, the sandbox's in the demo and in tests
 * @param login the integration login ({@code getToken})
 * @param password its password; from the environment, never from a file in the repository
 * @param group the cash register group code ({@code <group_code>} in every path)
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for an answer; a timeout is retried with the same external id
 * @param tokenLifetime how long a token is valid (ATOL: 24 h)
 * @param tokenRenewBefore a token is renewed this long before it expires (and at once on an auth error)
 */
@ConfigurationProperties("kopek.fiscal.atol")
public record AtolProperties(
        @DefaultValue("false") boolean enabled,

        @DefaultValue("https://online.atol.ru/possystem/v5/")
        URI baseUrl,

        String login,
        String password,
        String group,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("24h") Duration tokenLifetime,
        @DefaultValue("1h") Duration tokenRenewBefore) {}
