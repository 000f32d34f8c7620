package io.kopek.provider.yookassa;

import io.kopek.money.Money;
import io.kopek.provider.RegistryOperation;
import io.kopek.provider.RegistryPolicy;
import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.DecimalMark;
import io.kopek.provider.registry.RegistryEncoding;
import io.kopek.provider.registry.RegistryFormat;
import io.kopek.provider.registry.RegistryFormat.Field;
import io.kopek.provider.registry.RegistryFormat.Layout;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YooKassa's daily registries of successful operations, CSV or XLSX: the payments registry (Идентификатор платежа,
 * Сумма платежа, Валюта платежа, Сумма платежа за вычетом комиссии НКО — the commission is the difference — and
 * Время платежа in Moscow time) and the refunds registry (Идентификатор возврата, Идентификатор платежа, Сумма
 * возврата...), told apart by their header. Amounts have a decimal point and two decimals; our order number comes
 * from the metadata column.
 */
public class YooKassaRegistryParser extends ColumnMappedRegistryParser {

    public YooKassaRegistryParser(YooKassaRegistryProperties properties) {
        super(format(properties));
    }

    static RegistryFormat format(YooKassaRegistryProperties properties) {
        String order = properties.orderNumberColumn();
        Layout payments = new Layout(
                "payments",
                Map.of(
                        Field.PAYMENT_ID, "Идентификатор платежа",
                        Field.AMOUNT, "Сумма платежа",
                        Field.CURRENCY, "Валюта платежа",
                        Field.SETTLEMENT, "Сумма платежа за вычетом комиссии НКО",
                        Field.TIME, "Время платежа",
                        Field.ORDER_NUMBER, order),
                RegistryOperation.PAYMENT,
                Map.of());
        Layout refunds = new Layout(
                "refunds",
                Map.of(
                        Field.PAYMENT_ID, "Идентификатор платежа",
                        Field.AMOUNT, "Сумма возврата",
                        Field.CURRENCY, "Валюта возврата",
                        Field.TIME, "Время возврата",
                        Field.ORDER_NUMBER, order),
                RegistryOperation.REFUND,
                Map.of());
        return new RegistryFormat(
                "yookassa",
                Pattern.compile(properties.filePattern()),
                DateTimeFormatter.ISO_LOCAL_DATE,
                RegistryEncoding.AUTO,
                null,
                DecimalMark.POINT,
                DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss"),
                ZoneId.of("Europe/Moscow"),
                Money.RUB,
                List.of(payments, refunds),
                null,
                RegistryPolicy.valueOf(
                        properties.policy().trim().toUpperCase(Locale.ROOT).replace('-', '_')));
    }
}
