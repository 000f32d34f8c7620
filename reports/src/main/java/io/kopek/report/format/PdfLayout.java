package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import java.util.List;

/**
 * Where a table's columns go and in what size of type. The page's width is shared by the columns' widths (in
 * characters), each column getting its padding and a share of the rest; the type is as large as lets every column
 * show as many characters as its width says, at most 8 pt. A table too wide for A4 at 6.5 pt goes on A3 (the
 * reconciliation's 20 columns). A long text wraps in its cell and its row grows, so a text column counts for at most
 * {@link #TEXT_WRAPS_AT} characters; numbers, dates and times never wrap and count in full.
 *
 * @param x each column's left edge, and the right edge of the last: the widths sum to the page's exactly
 */
record PdfLayout(Paper paper, float fontSize, int[] x) {

    /** Landscape pages, with the template's margins (28 pt a side). */
    enum Paper {
        A4(842, 595),
        A3(1191, 842);

        final int width;
        final int height;

        Paper(int width, int height) {
            this.width = width;
            this.height = height;
        }

        int columnWidth() {
            return width - 2 * 28;
        }
    }

    static final int TEXT_WRAPS_AT = 20;

    /** A cell's left and right padding (the template's cell styles). */
    static final int PADDING = 4;

    /**
     * A character of DejaVu Sans in ems: its digits are 0.636 (a column of width 10 holds a ten-digit id), Cyrillic
     * letters 0.55–0.7; a little over, for JasperReports' measuring.
     */
    static final float EM_PER_CHARACTER = 0.66f;

    static final float LARGEST = 8f;
    static final float SMALLEST_ON_A4 = 6.5f;
    static final float SMALLEST = 5f;

    static PdfLayout of(List<Column> columns) {
        int[] characters = columns.stream().mapToInt(PdfLayout::characters).toArray();
        Paper paper = fits(Paper.A4, characters) >= SMALLEST_ON_A4 ? Paper.A4 : Paper.A3;
        float size = Math.max(SMALLEST, Math.min(LARGEST, fits(paper, characters)));
        return new PdfLayout(paper, (float) Math.floor(size * 2) / 2, positions(characters, paper.columnWidth()));
    }

    /** The largest type with which every column shows its characters on the paper. */
    private static float fits(Paper paper, int[] characters) {
        int all = java.util.Arrays.stream(characters).sum();
        return (paper.columnWidth() - PADDING * characters.length) / (EM_PER_CHARACTER * all);
    }

    private static int characters(Column column) {
        return column.type() == ColumnType.TEXT ? Math.min(column.width(), TEXT_WRAPS_AT) : column.width();
    }

    static int[] positions(int[] characters, int width) {
        int all = java.util.Arrays.stream(characters).sum();
        int shared = width - PADDING * characters.length;
        int[] x = new int[characters.length + 1];
        long sofar = 0;
        for (int i = 0; i < characters.length; i++) {
            sofar += characters[i];
            x[i + 1] = (int) Math.round(PADDING * (i + 1) + (double) shared * sofar / all);
        }
        return x;
    }

    /** A row's height: a line of type and the cell's padding. */
    int rowHeight() {
        return Math.round(fontSize * 1.75f);
    }

    int titleHeight() {
        return Math.round(fontSize * 2.5f);
    }

    int totalHeight() {
        return Math.round(fontSize * 2f);
    }
}
