package io.kopek.report.format;

import io.kopek.report.ColumnType;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * The report-templates' look of a workbook ({@link io.kopek.report.templates.ExcelStyles}) by what the writer
 * writes: a column type's data and total, the header, the title sheet.
 */
final class ExcelStyles {

    final CellStyle header;
    final CellStyle text;
    /** Text that starts like a formula: shown as typed, and kept text when the cell is edited in Excel. */
    final CellStyle quotedText;

    final CellStyle totalsLabel;
    final CellStyle title;
    final CellStyle label;

    private final io.kopek.report.templates.ExcelStyles look;

    ExcelStyles(Workbook workbook) {
        look = new io.kopek.report.templates.ExcelStyles(workbook);
        header = look.header();
        text = look.text();
        quotedText = look.quotedText();
        totalsLabel = look.totalsLabel();
        title = look.title();
        label = look.label();
    }

    /** The style of a data cell of a column of this type. */
    CellStyle data(ColumnType type) {
        return switch (type) {
            case TEXT -> text;
            case DATE -> look.date();
            case TIMESTAMP -> look.timestamp();
            case MONEY -> look.money();
            case INTEGER -> look.integer();
            case DECIMAL -> look.decimal();
        };
    }

    /** The style of a summed column's total. */
    CellStyle total(ColumnType type) {
        return switch (type) {
            case MONEY -> look.totalMoney();
            case INTEGER -> look.totalInteger();
            case DECIMAL -> look.totalDecimal();
            default -> throw new IllegalArgumentException(type + " is not summed");
        };
    }
}
