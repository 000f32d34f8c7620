package io.kopek.provider.sber;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.providers.sber.*}.
 *
 * @param enabled whether Kopek pays through Sberbank acquiring
 * @param baseUrl the REST root ({@code .../payment/rest/}); the sandbox's in the demo and in tests
 * @param userName the API login ({@code ...-api})
 * @param password its password; from the environment, never from a file in the repository
 * @param callbackKey the shared key of the symmetric callback checksum (HMAC-SHA256)
 * @param callbackPublicKey the bank's public key (PEM, {@code -----BEGIN PUBLIC KEY-----}, from the merchant's
 *     cabinet) for the asymmetric callback checksum (RSA with SHA-512), which the bank recommends; at least one of
 *     the two is required, and a callback without a checksum valid under one of them is refused
 * @param returnUrl where the payer's browser returns after paying
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for an answer before the outcome counts as unknown
 */
@ConfigurationProperties("kopek.providers.sber")
public record SberProperties(
        @DefaultValue("false") boolean enabled,

        @DefaultValue("https://securepayments.sberbank.ru/payment/rest/")
        URI baseUrl,

        String userName,
        String password,
        String callbackKey,
        String callbackPublicKey,
        @DefaultValue("https://example.org/paid") URI returnUrl,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout) {}
