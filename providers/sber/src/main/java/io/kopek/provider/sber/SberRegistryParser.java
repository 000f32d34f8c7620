package io.kopek.provider.sber;

import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.RegistrySettings;
import java.util.Map;

/**
 * Sberbank acquiring's settlement registry. Sber publishes no specification of it, so the layout is configuration
 * ({@code kopek.providers.sber.registry}, see {@link RegistrySettings}) with defaults modelled on the registries of
 * other Russian acquirers (Tochka's is public): a {@code ;}-separated CSV, UTF-8 or Windows-1251, decimal comma,
 * times in Moscow, {@code TRANSACTION_TYPE} PAYMENT / REFUND, our order number in {@code ORDER_NUMBER}, at most a
 * masked card number, and a closing {@code ИТОГО} line with the number of operations, their sum and the commission.
 */
public class SberRegistryParser extends ColumnMappedRegistryParser {

    /** What Kopek expects unless configured otherwise. */
    public static final RegistrySettings DEFAULTS = new RegistrySettings(
            "(?i)sber_registry_(?<date>\\d{8})\\.csv",
            "yyyyMMdd",
            "auto",
            ";",
            "comma",
            "dd.MM.yyyy HH:mm:ss",
            "Europe/Moscow",
            "RUB",
            Map.of(
                    "payment-id", "ORDER_ID",
                    "order-number", "ORDER_NUMBER",
                    "operation", "TRANSACTION_TYPE",
                    "amount", "SUM",
                    "commission", "COMMISSION",
                    "time", "TRANS_DATE",
                    "card-mask", "CARD_NUMBER"),
            Map.of("PAYMENT", "payment", "REFUND", "refund", "CHARGEBACK", "chargeback"),
            null,
            new RegistrySettings.TrailerSettings("ИТОГО", 2, 3, 4),
            "per-line");

    /** @param settings what configuration says; anything left out is taken from {@link #DEFAULTS} */
    public SberRegistryParser(RegistrySettings settings) {
        super((settings == null ? DEFAULTS : settings.orElse(DEFAULTS)).format("sber"));
    }
}
