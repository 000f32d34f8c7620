package io.kopek.fiscal;

import java.time.Instant;

/**
 * What makes a receipt fiscal: the fiscal drive (ФН) number, the fiscal document number (ФД) and sign (ФП), the
 * receipt's number in its shift, the shift, when it was registered, the cash register's registration number and
 * the tax service's site where a buyer can check it.
 */
public record FiscalAttributes(
        String fnNumber,
        long fiscalDocumentNumber,
        String fiscalDocumentAttribute,
        Long fiscalReceiptNumber,
        Integer shiftNumber,
        Instant registeredAt,
        String ecrRegistrationNumber,
        String fnsSite,
        String ofdReceiptUrl) {}
