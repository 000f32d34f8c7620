package io.kopek.report.format;

/**
 * The one rule for text that a spreadsheet program could take for a formula (CSV or formula injection): a cell
 * starting with {@code =}, {@code +}, {@code -} or {@code @}, or with a tab or a carriage return (which some programs
 * strip before looking at the first character), as OWASP's CSV-injection advice lists them. A customer's name or a
 * comment such as {@code =HYPERLINK("http://evil", "…")} must reach the accountant as the text it is.
 */
final class SpreadsheetText {

    private SpreadsheetText() {}

    static boolean looksLikeFormula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
