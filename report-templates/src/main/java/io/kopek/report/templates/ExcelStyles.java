package io.kopek.report.templates;

import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * How a report workbook looks: every cell style, made once per workbook (Excel keeps at most 64,000 styles, and a
 * style per cell would be one per cell): the header, the data of each kind of value and its total, the title sheet's.
 *
 * <p>Number formats are stored in Excel's invariant (en-US) syntax and localized by Excel when shown: the money
 * format {@code #,##0.00} is what Russian Excel displays and lists in its format dialog as {@code # ##0,00}
 * ({@code 1 234 567,89}). Writing the Russian spelling {@code # ##0.00} into the file would make the space a literal
 * character among the digits ({@code 1234 567.89}), not a thousands separator.
 */
public final class ExcelStyles {

    public static final String MONEY_FORMAT = "#,##0.00";
    public static final String DATE_FORMAT = "dd.mm.yyyy";
    public static final String TIMESTAMP_FORMAT = "dd.mm.yyyy hh:mm";
    public static final String INTEGER_FORMAT = "0";
    public static final String DECIMAL_FORMAT = "General";

    private final CellStyle header;
    private final CellStyle text;
    private final CellStyle quotedText;
    private final CellStyle totalsLabel;
    private final CellStyle title;
    private final CellStyle label;
    private final CellStyle date;
    private final CellStyle timestamp;
    private final CellStyle money;
    private final CellStyle integer;
    private final CellStyle decimal;
    private final CellStyle totalMoney;
    private final CellStyle totalInteger;
    private final CellStyle totalDecimal;

    public ExcelStyles(Workbook workbook) {
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

        // The default style, set on each text cell all the same: a cell without a style of its own makes SXSSF look
        // its column's style up in the sheet's XML for every cell written (a third of the time of a million rows,
        // measured), and index 0 adds no attribute to a million cells.
        text = workbook.getCellStyleAt(0);
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

    /** A table's column titles: bold, wrapped, underlined. */
    public CellStyle header() {
        return header;
    }

    public CellStyle text() {
        return text;
    }

    /** Text that starts like a formula: shown as typed, and kept text when the cell is edited in Excel. */
    public CellStyle quotedText() {
        return quotedText;
    }

    /** «Итого» before a table's totals. */
    public CellStyle totalsLabel() {
        return totalsLabel;
    }

    /** The report's name on its title sheet. */
    public CellStyle title() {
        return title;
    }

    /** A label on the title sheet («Период», «Сформирован»). */
    public CellStyle label() {
        return label;
    }

    public CellStyle date() {
        return date;
    }

    public CellStyle timestamp() {
        return timestamp;
    }

    /** Roubles with kopecks and thousands grouped. */
    public CellStyle money() {
        return money;
    }

    public CellStyle integer() {
        return integer;
    }

    public CellStyle decimal() {
        return decimal;
    }

    public CellStyle totalMoney() {
        return totalMoney;
    }

    public CellStyle totalInteger() {
        return totalInteger;
    }

    public CellStyle totalDecimal() {
        return totalDecimal;
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
