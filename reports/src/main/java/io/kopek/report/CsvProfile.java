package io.kopek.report;

import java.nio.charset.Charset;

/**
 * How a CSV file is written. {@code excel-ru} opens with a double-click in Russian Excel: UTF-8 with a BOM, {@code ;}
 * between fields, a decimal comma and {@code dd.MM.yyyy} dates. {@code plain} is for programs: UTF-8 without a BOM,
 * {@code ,}, a decimal point and ISO dates. Either may be written in Windows-1251 instead ({@link CsvCharset}).
 */
public enum CsvProfile {
    EXCEL_RU(';', ',', "dd.MM.yyyy", "dd.MM.yyyy HH:mm:ss", true),
    PLAIN(',', '.', "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", false);

    private final char separator;
    private final char decimalMark;
    private final String datePattern;
    private final String timestampPattern;
    private final boolean byteOrderMark;

    CsvProfile(char separator, char decimalMark, String datePattern, String timestampPattern, boolean byteOrderMark) {
        this.separator = separator;
        this.decimalMark = decimalMark;
        this.datePattern = datePattern;
        this.timestampPattern = timestampPattern;
        this.byteOrderMark = byteOrderMark;
    }

    public char separator() {
        return separator;
    }

    public char decimalMark() {
        return decimalMark;
    }

    public String datePattern() {
        return datePattern;
    }

    public String timestampPattern() {
        return timestampPattern;
    }

    /** Whether a UTF-8 file starts with a byte order mark (never in Windows-1251, which has none). */
    public boolean byteOrderMark() {
        return byteOrderMark;
    }

    /** The character set of a CSV file. */
    public enum CsvCharset {
        UTF_8(java.nio.charset.StandardCharsets.UTF_8),
        WINDOWS_1251(Charset.forName("windows-1251"));

        private final Charset charset;

        CsvCharset(Charset charset) {
            this.charset = charset;
        }

        public Charset charset() {
            return charset;
        }
    }
}
