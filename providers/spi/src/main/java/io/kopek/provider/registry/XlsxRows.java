package io.kopek.provider.registry;

import io.kopek.provider.RegistryLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * The rows of an XLSX workbook's first sheet, read with POI's event (SAX) API so that a sheet of a million rows is
 * never held in memory. Cells arrive as Excel would display them ({@code 0.00} numbers as {@code 1500.50}, dates in
 * their cell format).
 */
public final class XlsxRows {

    /** Receives each row, in order; {@code rowNumber} counts from 1 like Excel's. */
    public interface RowConsumer {
        void row(long rowNumber, String[] cells);
    }

    private XlsxRows() {}

    /**
     * @throws IOException when the workbook cannot be read (not XLSX, truncated, damaged); the row consumer's own
     *     exceptions pass through
     */
    public static void read(InputStream in, RowConsumer rows) throws IOException {
        read(in, RegistryLimits.DEFAULTS, rows);
    }

    /**
     * Within {@code limits}: the shared-strings table, which POI holds in memory whole, is read through a bound on its
     * inflated bytes (a zip's headers can lie about sizes), and a row's text is bounded like a CSV line.
     */
    static void read(InputStream in, RegistryLimits limits, RowConsumer rows) throws IOException {
        Path copy = Files.createTempFile("kopek-registry-", ".xlsx"); // a zip needs its central directory: a file
        try {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            try (OPCPackage pkg = OPCPackage.open(copy.toFile(), PackageAccess.READ)) {
                XSSFReader reader = new XSSFReader(pkg);
                Iterator<InputStream> sheets = reader.getSheetsData();
                if (!sheets.hasNext()) {
                    throw new IOException("the workbook has no sheet");
                }
                ReadOnlySharedStringsTable strings = sharedStrings(pkg, limits.maxSharedStringsBytes());
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(
                        reader.getStylesTable(),
                        null,
                        strings,
                        new Handler(rows, limits.maxLineChars()),
                        new DataFormatter(Locale.ROOT),
                        false));
                try (InputStream sheet = sheets.next()) {
                    parser.parse(new InputSource(sheet));
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static ReadOnlySharedStringsTable sharedStrings(OPCPackage pkg, long maxBytes) throws Exception {
        List<PackagePart> parts = pkg.getPartsByContentType(XSSFRelation.SHARED_STRINGS.getContentType());
        if (parts.isEmpty()) {
            return new ReadOnlySharedStringsTable(pkg); // none: an empty table
        }
        try (InputStream part = Bounded.bytes(
                parts.getFirst().getInputStream(),
                maxBytes,
                "the workbook's shared-strings table is over " + maxBytes + " bytes")) {
            return new ReadOnlySharedStringsTable(part);
        }
    }

    private static final class Handler implements XSSFSheetXMLHandler.SheetContentsHandler {

        private final RowConsumer rows;
        private final int maxRowChars;
        private final List<String> cells = new ArrayList<>();
        private long rowChars;

        Handler(RowConsumer rows, int maxRowChars) {
            this.rows = rows;
            this.maxRowChars = maxRowChars;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
            rowChars = 0;
        }

        @Override
        public void endRow(int rowNum) {
            rows.row(rowNum + 1L, cells.toArray(String[]::new));
        }

        @Override
        public void cell(String cellReference, String formattedValue, XSSFComment comment) {
            int column = cellReference == null ? cells.size() : new CellReference(cellReference).getCol();
            rowChars += column - cells.size() + (formattedValue == null ? 0 : formattedValue.length()) + 1;
            if (rowChars > maxRowChars) {
                throw new RowTooLong("a row longer than " + maxRowChars + " characters");
            }
            while (cells.size() < column) {
                cells.add("");
            }
            cells.add(formattedValue == null ? "" : formattedValue);
        }
    }

    /** A row over the bound, out of POI's callback (which cannot throw an IOException); its message is the reason. */
    static final class RowTooLong extends RuntimeException {
        RowTooLong(String message) {
            super(message, null, false, false);
        }
    }
}
