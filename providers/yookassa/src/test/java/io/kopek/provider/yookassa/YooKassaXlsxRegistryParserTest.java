package io.kopek.provider.yookassa;

import io.kopek.sandbox.registry.SettlementRegistry;

/** The same registries as XLSX workbooks, read with POI's streaming reader. */
class YooKassaXlsxRegistryParserTest extends YooKassaRegistryParserTest {

    @Override
    protected SettlementRegistry registry() {
        return yookassa.registry().xlsx(true);
    }

    @Override
    void theCommissionIsWhatThePaymentLostOnTheWayAndRefundsComeOutOfTheSettlement() {
        // the CSV test covers it; the file names differ
    }
}
