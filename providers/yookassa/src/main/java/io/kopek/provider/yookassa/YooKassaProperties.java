package io.kopek.provider.yookassa;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.providers.yookassa.*}.
 *
 * @param enabled whether Kopek pays through YooKassa at all
 * @param baseUrl the API root; the sandbox's in the demo and in tests
 * @param shopId the shop id (HTTP Basic user)
 * @param secretKey the secret key (HTTP Basic password); from the environment, never from a file in the repository
 * @param returnUrl where the payer's browser returns after paying
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for an answer before the outcome counts as unknown
 * @param notificationAddresses where notifications may come from; YooKassa signs nothing, so this list and a
 *     re-read of the object through the API are what make a notification trustworthy
 */
@ConfigurationProperties("kopek.providers.yookassa")
public record YooKassaProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://api.yookassa.ru/v3/") URI baseUrl,
        String shopId,
        String secretKey,
        @DefaultValue("https://example.org/paid") URI returnUrl,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,

        @DefaultValue({
            "185.71.76.0/27",
            "185.71.77.0/27",
            "77.75.153.0/25",
            "77.75.156.11",
            "77.75.156.35",
            "77.75.154.128/25",
            "2a02:5180::/32"
        })
        List<String> notificationAddresses) {}
