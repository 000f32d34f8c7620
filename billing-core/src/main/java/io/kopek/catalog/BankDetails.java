package io.kopek.catalog;

/**
 * A merchant's bank details (реквизиты) beside its ИНН ({@link Merchant#inn}): what a payment order names the
 * merchant by as its payee, and so what 1C's bank statement needs. Whole or absent ({@link Requisites#check}).
 *
 * @param legalName the full legal name as on payment orders (ООО «Ромашка», ИП Иванов Иван Иванович)
 * @param kpp a company's КПП, 9 characters; {@code null} for a sole proprietor, who has none
 * @param settlementAccount the settlement account (расчётный счёт), 20 digits keyed to the БИК
 * @param bankName the bank's name as on payment orders
 * @param bik the bank's БИК, 9 digits
 * @param correspondentAccount the bank's correspondent account at the Bank of Russia, 20 digits keyed to the БИК
 */
public record BankDetails(
        String legalName,
        String kpp,
        String settlementAccount,
        String bankName,
        String bik,
        String correspondentAccount) {}
