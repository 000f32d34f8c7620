package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.sf.jasperreports.engine.JRDataSource;
import net.sf.jasperreports.engine.JRField;

/**
 * Rows for JasperReports, pulled from the iterator one at a time as the fill asks for them: never held in a list, so
 * a table of any length fills in the memory of a few pages (the rest is in the virtualizer's swap file).
 */
final class PdfRows implements JRDataSource {

    private final Iterator<Object[]> rows;
    private final Map<String, Integer> fields;
    /** The type of each field's column, or {@code null} for a value passed as it is. */
    private final ColumnType[] types;

    private Object[] row;

    private PdfRows(List<String> fields, ColumnType[] types, Iterator<Object[]> rows) {
        this.rows = rows;
        this.types = types;
        this.fields = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            this.fields.put(fields.get(i), i);
        }
    }

    /** A table's rows, for the fields {@code c0, c1, ...} that {@link PdfTemplates} lays out. */
    static PdfRows of(List<Column> columns, Iterator<Object[]> rows) {
        return new PdfRows(
                IntStream.range(0, columns.size()).mapToObj(PdfTemplates::field).toList(),
                columns.stream().map(Column::type).toArray(ColumnType[]::new),
                rows);
    }

    /** Rows of text, a value per named field. */
    static PdfRows text(List<String> fields, Iterator<Object[]> rows) {
        return new PdfRows(fields, new ColumnType[fields.size()], rows);
    }

    @Override
    public boolean next() {
        if (!rows.hasNext()) {
            row = null;
            return false;
        }
        row = rows.next();
        if (row.length != types.length) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + types.length + " columns");
        }
        return true;
    }

    @Override
    public Object getFieldValue(JRField field) {
        int i = fields.get(field.getName());
        ColumnType type = types[i];
        return type == null ? row[i] : PdfCells.value(type, row[i]);
    }
}
