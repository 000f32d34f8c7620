package io.kopek.provider.yookassa;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.providers.yookassa.registry.*}: how YooKassa's daily registries reach Kopek.
 *
 * @param filePattern the names of the payments and refunds registries (CSV or XLSX), with the business day in a
 *     group named {@code date} written {@code yyyy-MM-dd}; YooKassa publishes no naming, so the mailbox or SFTP
 *     drop that collects them names them so
 * @param orderNumberColumn the registry column of the payment's metadata field with our order number (a
 *     "настраиваемый реестр" lists chosen metadata fields by their key)
 * @param policy {@code per-line} or {@code all-or-nothing}
 */
@ConfigurationProperties("kopek.providers.yookassa.registry")
public record YooKassaRegistryProperties(
        @DefaultValue("yookassa_(payments|refunds)_(?<date>\\d{4}-\\d{2}-\\d{2})\\.(csv|xlsx)")
        String filePattern,

        @DefaultValue("order_number") String orderNumberColumn,
        @DefaultValue("per-line") String policy) {}
