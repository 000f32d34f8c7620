package io.kopek.report.format;

import io.kopek.report.ColumnType;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * Every cell style of a report workbook, made once per workbook (Excel keeps at most 64,000 styles, and a style per
 * cell would be one per cell): the header, a style per column type for data and for totals, and the title sheet's.
 *
 * <p>Number formats are stored in Excel's invariant (en-US) syntax and localized by Excel when shown: the money
 * format {@code #,##0.00} is what Russian Excel displays and lists in its format dialog as {@code # ##0,00}
 * ({@code 1 234 567,89}). Writing the Russian spelling {@code # ##0.00} into the file would make the space a literal
 * character among the digits ({@code 1234 567.89}), not a thousands separator.
 */
final class ExcelStyles {

    static final String MONEY_FORMAT = "#,##0.00";
    static final String DATE_FORMAT = "dd.mm.yyyy";
    static final String TIMESTAMP_FORMAT = "dd.mm.yyyy hh:mm";
    static final String INTEGER_FORMAT = "0";
    static final String DECIMAL_FORMAT = "General";

    final CellStyle header;
    final CellStyle text;
    /** Text that starts like a formula: shown as typed, and kept text when the cell is edited in Excel. */
    final CellStyle quotedText;

    final CellStyle totalsLabel;
    final CellStyle title;
    final CellStyle label;

    private final CellStyle date;
    private final CellStyle timestamp;
    private final CellStyle money;
    private final CellStyle integer;
    private final CellStyle decimal;
    private final CellStyle totalMoney;
    private final CellStyle totalInteger;
    private final CellStyle totalDecimal;

    ExcelStyles(Workbook workbook) {
        DataFormat formats = workbook.createDataFormat();
        Font bold = workbook.createFont();
        bold.setBold(true);
        Font large = workbook.createFont();
        large.setBold(true);
        large.setFontHeightInPoints((short) 14);

        header = workbook.createCellStyle();
        header.setFont(bold);
        header.setWrapText(true);
        header.setVerticalAlignment(VerticalAlignment.TOP);
        header.setBorderBottom(BorderStyle.THIN);

        text = workbook.createCellStyle();
        quotedText = workbook.createCellStyle();
        quotedText.setQuotePrefixed(true);

        date = numberStyle(workbook, formats, DATE_FORMAT, null);
        timestamp = numberStyle(workbook, formats, TIMESTAMP_FORMAT, null);
        money = numberStyle(workbook, formats, MONEY_FORMAT, null);
        integer = numberStyle(workbook, formats, INTEGER_FORMAT, null);
        decimal = numberStyle(workbook, formats, DECIMAL_FORMAT, null);
        totalMoney = numberStyle(workbook, formats, MONEY_FORMAT, bold);
        totalInteger = numberStyle(workbook, formats, INTEGER_FORMAT, bold);
        totalDecimal = numberStyle(workbook, formats, DECIMAL_FORMAT, bold);

        totalsLabel = workbook.createCellStyle();
        totalsLabel.setFont(bold);
        title = workbook.createCellStyle();
        title.setFont(large);
        label = workbook.createCellStyle();
        label.setFont(bold);
    }

    /** The style of a data cell of a non-text column. */
    CellStyle data(ColumnType type) {
        return switch (type) {
            case TEXT -> text;
            case DATE -> date;
            case TIMESTAMP -> timestamp;
            case MONEY -> money;
            case INTEGER -> integer;
            case DECIMAL -> decimal;
        };
    }

    /** The style of a summed column's total. */
    CellStyle total(ColumnType type) {
        return switch (type) {
            case MONEY -> totalMoney;
            case INTEGER -> totalInteger;
            case DECIMAL -> totalDecimal;
            default -> throw new IllegalArgumentException(type + " is not summed");
        };
    }

    private static CellStyle numberStyle(Workbook workbook, DataFormat formats, String format, Font font) {
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(formats.getFormat(format));
        if (font != null) {
            style.setFont(font);
        }
        return style;
    }
}
