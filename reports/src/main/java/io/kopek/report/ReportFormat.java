package io.kopek.report;

/** The kinds of file a report run produces. */
public enum ReportFormat {
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    PDF("pdf", "application/pdf"),
    /** One table as text; its profile ({@link CsvProfile}) says separator, decimal mark, dates and charset. */
    CSV("csv", "text/csv"),
    /** 1C:Enterprise's bank-client exchange file ({@code 1CClientBankExchange}, version 1.03, Windows-1251). */
    ONEC("txt", "text/plain; charset=windows-1251");

    private final String extension;
    private final String contentType;

    ReportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }
}
