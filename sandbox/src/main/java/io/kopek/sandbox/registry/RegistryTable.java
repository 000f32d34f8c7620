package io.kopek.sandbox.registry;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A registry being written: a header, operation lines and maybe a totals line, with the ugliness put where asked,
 * then serialised as CSV (OpenCSV) or XLSX (POI's streaming writer). Each operation line takes one file line, so
 * the {@code n}-th (from 0) is on line {@code n + 2}.
 */
public final class RegistryTable {

    /** A cell of an XLSX row: text, a number with two decimals, or a date-time. */
    public sealed interface XlsxCell {
        record Text(String value) implements XlsxCell {}

        record Decimal(long minor) implements XlsxCell {}

        record DateTime(java.time.LocalDateTime value) implements XlsxCell {}
    }

    private final String[] header;
    private final List<String[]> lines = new ArrayList<>();
    private String[] trailer;
    private final Map<Ugliness, Long> lineOf = new EnumMap<>(Ugliness.class);

    public RegistryTable(String... header) {
        this.header = header.clone();
    }

    public RegistryTable line(String... fields) {
        lines.add(fields.clone());
        return this;
    }

    public RegistryTable trailer(String... fields) {
        trailer = fields.clone();
        return this;
    }

    public int operations() {
        return lines.size();
    }

    /** Puts {@code value} into column {@code column} of the {@code n}-th operation line (or the last one if fewer). */
    public RegistryTable spoil(Ugliness ugliness, int n, String column, String value) {
        if (lines.isEmpty()) {
            throw new IllegalStateException("no operation line to put " + ugliness + " on");
        }
        int at = Math.min(n, lines.size() - 1);
        lines.get(at)[column(column)] = value;
        lineOf.put(ugliness, at + 2L);
        return this;
    }

    /** The current value of a cell of the {@code n}-th operation line. */
    public String get(int n, String column) {
        return lines.get(Math.min(n, lines.size() - 1))[column(column)];
    }

    public int column(String name) {
        int at = Arrays.asList(header).indexOf(name);
        if (at < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        return at;
    }

    /**
     * Writes the CSV with the file-level ugliness asked for ({@link Ugliness#BOM}, CRLF, CP1251, trailing lines,
     * truncation), streaming to the file so that a registry of a million lines costs no memory.
     */
    public WrittenRegistry writeCsv(Path path, char separator, Charset charset, Set<Ugliness> ugliness)
            throws IOException {
        Charset encoding = ugliness.contains(Ugliness.CP1251) ? Charset.forName("windows-1251") : charset;
        String end = ugliness.contains(Ugliness.CRLF) ? "\r\n" : "\n";
        boolean truncated = ugliness.contains(Ugliness.TRUNCATED);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            if (ugliness.contains(Ugliness.BOM)) {
                out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            Writer writer = new OutputStreamWriter(out, encoding);
            Writer target = truncated ? new StringWriter() : writer;
            int middle = -1; // where the operation line halfway through starts, for a truncated file
            ICSVWriter csv = new CSVWriterBuilder(target)
                    .withSeparator(separator)
                    .withLineEnd(end)
                    .build();
            csv.writeNext(header, false);
            for (int i = 0; i < lines.size(); i++) {
                if (truncated && i == lines.size() / 2) {
                    csv.flush();
                    middle = ((StringWriter) target).getBuffer().length();
                }
                csv.writeNext(lines.get(i), false);
            }
            if (trailer != null) {
                csv.writeNext(trailer, false);
            }
            csv.flush();
            if (truncated) {
                String content = target.toString();
                int cut = middle < 0 ? content.length() / 2 : content.indexOf(separator, middle) + 2;
                writer.write(content, 0, cut); // cut after a column and a bit, with no line end
            } else if (ugliness.contains(Ugliness.TRAILING_EMPTY_LINES)) {
                writer.write(end + end + "  " + end);
            }
            writer.flush();
        }
        return new WrittenRegistry(path, lines.size(), lineOf);
    }

    /** Writes the first sheet of an XLSX workbook, cells typed by {@code cells}. */
    public WrittenRegistry writeXlsx(Path path, List<List<XlsxCell>> cells, Set<Ugliness> ugliness) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(100)) {
            Sheet sheet = workbook.createSheet("Реестр");
            CellStyle money = workbook.createCellStyle();
            money.setDataFormat(workbook.createDataFormat().getFormat("0.00"));
            CellStyle time = workbook.createCellStyle();
            time.setDataFormat(workbook.createDataFormat().getFormat("dd.mm.yyyy hh:mm:ss"));
            Row top = sheet.createRow(0);
            for (int c = 0; c < header.length; c++) {
                top.createCell(c).setCellValue(header[c]);
            }
            for (int r = 0; r < cells.size(); r++) {
                Row row = sheet.createRow(r + 1);
                List<XlsxCell> line = cells.get(r);
                for (int c = 0; c < line.size(); c++) {
                    Cell cell = row.createCell(c);
                    switch (line.get(c)) {
                        case XlsxCell.Text t -> cell.setCellValue(t.value());
                        case XlsxCell.Decimal d -> {
                            cell.setCellValue(
                                    java.math.BigDecimal.valueOf(d.minor(), 2).doubleValue());
                            cell.setCellStyle(money);
                        }
                        case XlsxCell.DateTime d -> {
                            cell.setCellValue(d.value());
                            cell.setCellStyle(time);
                        }
                    }
                }
            }
            workbook.write(bytes);
        }
        byte[] data = bytes.toByteArray();
        if (ugliness.contains(Ugliness.TRUNCATED)) {
            data = Arrays.copyOf(data, data.length * 3 / 5);
        }
        Files.write(path, data);
        return new WrittenRegistry(path, cells.size(), lineOf);
    }
}
