package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jasperreports.engine.JRBand;
import net.sf.jasperreports.engine.JRElement;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRStyle;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.design.JRDesignBand;
import net.sf.jasperreports.engine.design.JRDesignElement;
import net.sf.jasperreports.engine.design.JRDesignExpression;
import net.sf.jasperreports.engine.design.JRDesignField;
import net.sf.jasperreports.engine.design.JRDesignTextField;
import net.sf.jasperreports.engine.design.JRDesignVariable;
import net.sf.jasperreports.engine.design.JasperDesign;
import net.sf.jasperreports.engine.type.CalculationEnum;
import net.sf.jasperreports.engine.type.ExpressionTypeEnum;
import net.sf.jasperreports.engine.type.HorizontalTextAlignEnum;
import net.sf.jasperreports.engine.type.StretchTypeEnum;
import net.sf.jasperreports.engine.type.TextAdjustEnum;
import net.sf.jasperreports.engine.xml.JRXmlLoader;

/**
 * The PDF templates of {@code report-templates}, compiled once per process: the title page, and the table section
 * with each table's columns laid out on it (a compiled report per distinct list of columns, and the catalogue has a
 * few dozen). A compiled report is immutable and shared by concurrent fills.
 */
final class PdfTemplates {

    static final String TABLE = "io/kopek/report/templates/table.jrxml";
    static final String TITLE = "io/kopek/report/templates/title.jrxml";

    private final JasperReportsContext context;
    private final Map<List<Column>, JasperReport> tables = new ConcurrentHashMap<>();
    private volatile JasperReport title;

    PdfTemplates(JasperReportsContext context) {
        this.context = context;
    }

    /** The name of the field of a table's column {@code i}. */
    static String field(int i) {
        return "c" + i;
    }

    /** The name of the variable that sums a table's column {@code i}. */
    static String sum(int i) {
        return "sum" + i;
    }

    JasperReport title() {
        JasperReport compiled = title;
        if (compiled == null) {
            synchronized (this) {
                if (title == null) {
                    title = compile(load(TITLE));
                }
                compiled = title;
            }
        }
        return compiled;
    }

    JasperReport table(List<Column> columns) {
        return tables.computeIfAbsent(List.copyOf(columns), c -> compile(layOut(load(TABLE), c)));
    }

    /**
     * The columns on the template: a field, a title cell, a row cell and a totals cell per column, side by side over
     * the page ({@link PdfLayout}); the totals row says «Итого» in the last column before the first summed one.
     */
    private static JasperDesign layOut(JasperDesign design, List<Column> columns) {
        PdfLayout layout = PdfLayout.of(columns);
        JRDesignBand header = (JRDesignBand) design.getColumnHeader();
        JRDesignBand detail = (JRDesignBand) design.getDetailSection().getBands()[0];
        JRDesignBand summary = (JRDesignBand) design.getSummary();
        widen(design, layout.paper());
        header.setHeight(layout.titleHeight());
        detail.setHeight(layout.rowHeight());
        JRStyle titleStyle = design.getStylesMap().get("ColumnTitle");
        JRStyle cellStyle = design.getStylesMap().get("Cell");
        JRStyle totalStyle = design.getStylesMap().get("Total");
        int[] x = layout.x();
        boolean totals = columns.stream().anyMatch(Column::summed);
        int label = labelColumn(columns);
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            int width = x[i + 1] - x[i];
            addField(design, field(i), PdfCells.valueClass(column.type()));

            JRDesignTextField title = cell(x[i], width, header.getHeight(), titleStyle, column.type(), layout);
            title.setExpression(simpleText(column.title()));
            header.addElement(title);

            JRDesignTextField value = cell(x[i], width, detail.getHeight(), cellStyle, column.type(), layout);
            value.setExpression(reference("$F{" + field(i) + "}"));
            value.setPattern(PdfCells.pattern(column));
            detail.addElement(value);

            if (totals) {
                JRDesignTextField total = cell(x[i], width, layout.totalHeight(), totalStyle, column.type(), layout);
                total.setTextAdjust(TextAdjustEnum.SCALE_FONT);
                if (column.summed()) {
                    addSum(design, i, column.type());
                    total.setExpression(reference("$V{" + sum(i) + "}"));
                    total.setPattern(PdfCells.pattern(column));
                } else {
                    total.setExpression(simpleText(i == label ? "Итого" : ""));
                }
                summary.addElement(total);
            }
        }
        // The row count below the totals row, or alone when nothing is summed.
        JRDesignElement rowCount = (JRDesignElement) summary.getElementByKey("rowCount");
        rowCount.setY(totals ? layout.totalHeight() + 2 : 0);
        summary.setHeight(rowCount.getY() + rowCount.getHeight() + 2);
        return design;
    }

    /**
     * The template on a larger paper: its own elements of the page header and footer and the summary that start at
     * the left margin grow by the difference, the others (at the right) move by it.
     */
    private static void widen(JasperDesign design, PdfLayout.Paper paper) {
        int by = paper.columnWidth() - design.getColumnWidth();
        if (by == 0) {
            return;
        }
        design.setPageWidth(paper.width);
        design.setPageHeight(paper.height);
        design.setColumnWidth(paper.columnWidth());
        for (JRBand band : List.of(design.getPageHeader(), design.getPageFooter(), design.getSummary())) {
            for (JRElement element : band.getElements()) {
                JRDesignElement e = (JRDesignElement) element;
                if (e.getX() == 0) {
                    e.setWidth(e.getWidth() + by);
                } else {
                    e.setX(e.getX() + by);
                }
            }
        }
    }

    /** The column that says «Итого»: the last before the first summed one, beside the sums ({@code -1}: none). */
    private static int labelColumn(List<Column> columns) {
        int label = -1;
        for (int i = 0; i < columns.size() && !columns.get(i).summed(); i++) {
            label = i;
        }
        return label;
    }

    private static JRDesignTextField cell(
            int x, int width, int height, JRStyle style, ColumnType type, PdfLayout layout) {
        JRDesignTextField cell = new JRDesignTextField();
        cell.setFontSize(layout.fontSize());
        cell.setX(x);
        cell.setY(0);
        cell.setWidth(width);
        cell.setHeight(height);
        cell.setStyle(style);
        // A long text wraps, its row grows, and the row's other cells grow with it so that the grid stays whole; a
        // number, a date or a total wider than its cell is set smaller instead, as a number broken in two misleads.
        cell.setTextAdjust(
                type == ColumnType.TEXT || style.getName().equals("ColumnTitle")
                        ? TextAdjustEnum.STRETCH_HEIGHT
                        : TextAdjustEnum.SCALE_FONT);
        cell.setStretchType(StretchTypeEnum.CONTAINER_HEIGHT);
        cell.setBlankWhenNull(true);
        if (PdfCells.rightAligned(type)) {
            cell.setHorizontalTextAlign(HorizontalTextAlignEnum.RIGHT);
        }
        return cell;
    }

    private static void addField(JasperDesign design, String name, Class<?> type) {
        JRDesignField field = new JRDesignField();
        field.setName(name);
        field.setValueClass(type);
        try {
            design.addField(field);
        } catch (JRException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addSum(JasperDesign design, int i, ColumnType type) {
        JRDesignVariable sum = new JRDesignVariable();
        sum.setName(sum(i));
        boolean integer = type == ColumnType.INTEGER;
        sum.setValueClass(integer ? Long.class : BigDecimal.class);
        sum.setCalculation(CalculationEnum.SUM);
        sum.setExpression(reference("$F{" + field(i) + "}"));
        // A parameter the writer fills with zero: a table without rows totals 0,00, not a blank.
        sum.setInitialValueExpression(reference(integer ? "$P{zeroInteger}" : "$P{zeroDecimal}"));
        try {
            design.addVariable(sum);
        } catch (JRException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bare reference to a parameter, field or variable: evaluated directly, nothing for javac to compile. */
    private static JRDesignExpression reference(String text) {
        return new JRDesignExpression(text);
    }

    /** Text as it is (JasperReports' simple text, evaluated without compiling Java). */
    private static JRDesignExpression simpleText(String text) {
        JRDesignExpression expression = new JRDesignExpression();
        expression.setType(ExpressionTypeEnum.SIMPLE_TEXT);
        expression.setText(text);
        return expression;
    }

    private JasperDesign load(String template) {
        try (InputStream in = PdfTemplates.class.getClassLoader().getResourceAsStream(template)) {
            if (in == null) {
                throw new IllegalStateException(template + " is not on the class path (report-templates)");
            }
            return JRXmlLoader.load(context, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JRException e) {
            throw new IllegalStateException(template + ": " + e.getMessage(), e);
        }
    }

    private JasperReport compile(JasperDesign design) {
        try {
            return JasperCompileManager.getInstance(context).compile(design);
        } catch (JRException e) {
            throw new IllegalStateException(design.getName() + ": " + e.getMessage(), e);
        }
    }
}
