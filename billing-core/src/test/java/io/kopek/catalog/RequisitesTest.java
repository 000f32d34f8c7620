package io.kopek.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The check digits of ИНН and accounts, on published requisites and on the same numbers with a digit changed. */
class RequisitesTest {

    // Published requisites: Sberbank's ИНН, Yandex's ИНН and its settlement account at Sberbank (БИК 044525225),
    // Sberbank's and T-Bank's correspondent accounts; a sole proprietor's ИНН used in the tax service's examples.
    static final String SBERBANK_INN = "7707083893";
    static final String YANDEX_INN = "7736207543";
    static final String SOLE_PROPRIETOR_INN = "500100732259";
    static final String SBERBANK_BIK = "044525225";
    static final String YANDEX_ACCOUNT = "40702810438000034726";
    static final String SBERBANK_CORRESPONDENT = "30101810400000000225";
    static final String TBANK_BIK = "044525974";
    static final String TBANK_CORRESPONDENT = "30101810145250000974";

    @Test
    void validInnsOfCompaniesAndSoleProprietorsPass() {
        assertThat(Requisites.innError(SBERBANK_INN)).isNull();
        assertThat(Requisites.innError(YANDEX_INN)).isNull();
        assertThat(Requisites.innError(SOLE_PROPRIETOR_INN)).isNull();
        assertThat(Requisites.innError("7700000009")).isNull();
    }

    @Test
    void anInnWithAWrongCheckDigitOrShapeIsRefused() {
        assertThat(Requisites.innError("7707083894")).contains("check digits");
        assertThat(Requisites.innError("7700000000")).contains("check digits");
        assertThat(Requisites.innError("500100732258")).contains("check digits"); // the 12th digit
        assertThat(Requisites.innError("500100732269")).contains("check digits"); // the 11th digit
        assertThat(Requisites.innError("77070838")).contains("10 digits");
        assertThat(Requisites.innError("77070838931")).contains("10 digits");
        assertThat(Requisites.innError("77O7083893")).contains("10 digits");
    }

    @Test
    void anAccountIsKeyedToItsBanksBik() {
        assertThat(Requisites.accountError(YANDEX_ACCOUNT, SBERBANK_BIK)).isNull();
        assertThat(Requisites.correspondentAccountError(SBERBANK_CORRESPONDENT, SBERBANK_BIK))
                .isNull();
        assertThat(Requisites.correspondentAccountError(TBANK_CORRESPONDENT, TBANK_BIK))
                .isNull();
    }

    @Test
    void anAccountWithAWrongKeyOrAtAnotherBankIsRefused() {
        assertThat(Requisites.accountError("40702810438000034727", SBERBANK_BIK))
                .contains("control key");
        assertThat(Requisites.accountError(YANDEX_ACCOUNT, TBANK_BIK)).contains("control key");
        assertThat(Requisites.correspondentAccountError(SBERBANK_CORRESPONDENT, TBANK_BIK))
                .contains("last three digits");
        assertThat(Requisites.correspondentAccountError("30101810500000000225", SBERBANK_BIK))
                .contains("control key");
        assertThat(Requisites.correspondentAccountError(YANDEX_ACCOUNT, SBERBANK_BIK))
                .contains("301");
        assertThat(Requisites.accountError("4070281043800003472", SBERBANK_BIK)).contains("20 digits");
    }

    @Test
    void bankDetailsAreWholeAndAKppIsACompanysAlone() {
        BankDetails company = new BankDetails(
                "ООО «Яндекс»", "770401001", YANDEX_ACCOUNT, "ПАО Сбербанк", SBERBANK_BIK, SBERBANK_CORRESPONDENT);

        assertThat(Requisites.check(YANDEX_INN, company)).isEmpty();
        assertThat(Requisites.check(null, null)).isEmpty();
        assertThat(fields(Requisites.check(null, company))).containsExactly("inn");
        assertThat(fields(Requisites.check(
                        YANDEX_INN, new BankDetails(null, null, YANDEX_ACCOUNT, "Bank\nName", "04452522", "301"))))
                .containsExactly(
                        "bankDetails.legalName",
                        "bankDetails.kpp",
                        "bankDetails.bankName",
                        "bankDetails.bik",
                        "bankDetails.correspondentAccount");
        assertThat(fields(Requisites.check(SOLE_PROPRIETOR_INN, company))).containsExactly("bankDetails.kpp");
        assertThat(fields(Requisites.check(
                        SOLE_PROPRIETOR_INN,
                        new BankDetails(
                                "ИП Иванов И. И.",
                                null,
                                YANDEX_ACCOUNT,
                                "ПАО Сбербанк",
                                SBERBANK_BIK,
                                SBERBANK_CORRESPONDENT))))
                .isEmpty();
        assertThat(Requisites.kppError("7704AB001")).isNull();
        assertThat(Requisites.kppError("7704ab001")).isNotNull();
    }

    private static List<String> fields(List<Requisites.Violation> violations) {
        return violations.stream().map(Requisites.Violation::field).toList();
    }
}
