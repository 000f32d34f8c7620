package io.kopek.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.CoreTestApplication;
import io.kopek.errors.KopekException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Merchants with and without bank details, through the catalog and as the table keeps them. */
@SpringBootTest(classes = CoreTestApplication.class)
class CatalogTest {

    static final BankDetails DETAILS = new BankDetails(
            "ООО «Ромашка»",
            "770101001",
            "40702810900000054321",
            "АО «Тестовый банк»",
            "044525905",
            "30101810745250000905");

    @Autowired
    Catalog catalog;

    @Autowired
    JdbcClient jdbc;

    static String code() {
        return "C"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }

    @Test
    void aMerchantKeepsItsBankDetails() {
        String code = code();

        Merchant created = catalog.createMerchant(new NewMerchant(code, "Romashka", "7701234560", DETAILS));

        assertThat(created.bankDetails()).isEqualTo(DETAILS);
        assertThat(catalog.merchant(created.id()).orElseThrow()).isEqualTo(created);
        assertThat(catalog.merchantByCode(code).orElseThrow()).isEqualTo(created);
        assertThat(catalog.merchants()).contains(created);
    }

    @Test
    void aMerchantWithoutBankDetailsHasNone() {
        Merchant created = catalog.createMerchant(code(), "Old shop", null);

        assertThat(created.bankDetails()).isNull();
        assertThat(created.inn()).isNull();
    }

    @Test
    void wrongRequisitesAreRefusedNamingEachFieldAndNothingIsStored() {
        String code = code();
        BankDetails wrongKey = new BankDetails(
                DETAILS.legalName(),
                DETAILS.kpp(),
                "40702810000000054321",
                DETAILS.bankName(),
                DETAILS.bik(),
                DETAILS.correspondentAccount());

        assertThatThrownBy(() -> catalog.createMerchant(new NewMerchant(code, "Bad", "7701234561", wrongKey)))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("invalid-requisites"))
                .hasMessageContaining("inn: the check digits")
                .hasMessageContaining("bankDetails.settlementAccount: the control key");
        assertThatThrownBy(() -> catalog.createMerchant(code, "Bad", "7700000000"))
                .hasMessageContaining("inn: the check digits");
        assertThat(catalog.merchantByCode(code)).isEmpty();
    }

    @Test
    void aMerchantWithoutBankDetailsIsGivenThemLater() {
        Merchant old = catalog.createMerchant(code(), "Old shop", null);

        Merchant updated = catalog.setBankDetails(old.id(), "7701234560", DETAILS);

        assertThat(updated.inn()).isEqualTo("7701234560");
        assertThat(updated.bankDetails()).isEqualTo(DETAILS);
        assertThat(catalog.merchant(old.id()).orElseThrow()).isEqualTo(updated);
        assertThatThrownBy(() -> catalog.setBankDetails(old.id(), "500100732259", DETAILS))
                .hasMessageContaining("bankDetails.kpp");
        assertThatThrownBy(() -> catalog.setBankDetails(999_999_999L, "7701234560", DETAILS))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.kind()).isEqualTo(KopekException.Kind.NOT_FOUND));
    }

    @Test
    void theTableTakesBankDetailsWholeOrNotAtAll() {
        assertThatThrownBy(() -> jdbc.sql("insert into merchant (code, name, inn, bik) values (?, 'Half', ?, ?)")
                        .params(code(), "7701234560", "044525905")
                        .update())
                .hasMessageContaining("merchant_bank_details_whole");
    }
}
