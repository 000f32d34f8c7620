package io.kopek.report.format;

import io.kopek.report.ReportSummary;
import io.kopek.report.ReportSummary.ControlTotal;
import io.kopek.report.ReportSummary.TableSummary;
import io.kopek.report.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.sf.jasperreports.engine.JRDataSource;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.fill.JRSwapFileVirtualizer;
import net.sf.jasperreports.engine.fill.JRVirtualizationContext;
import net.sf.jasperreports.engine.util.JRSwapFile;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.pdf.SimplePdfExporterConfiguration;

/**
 * A report's PDF: each table filled from the table template as its rows stream by, its pages swapped out to a file
 * as they fill (a few in memory at a time), then at the end the title page with the control totals, and everything
 * exported as one PDF, title page first.
 */
final class PdfReportWriter implements ReportWriter {

    /**
     * Pages of a filled report kept in memory; the others are in the swap file. A page of a table holds some 40 rows,
     * so a few pages are a few hundred kilobytes whatever the number of rows.
     */
    private static final int PAGES_IN_MEMORY = 8;

    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    private final JasperReportsContext context;
    private final PdfTemplates templates;
    private final ReportHeader header;
    private final OutputStream out;
    private final Path swapDirectory;
    private final JRSwapFileVirtualizer virtualizer;
    private final List<JasperPrint> sections = new ArrayList<>();
    private final Map<String, String> titles = new HashMap<>();

    PdfReportWriter(
            JasperReportsContext context, PdfTemplates templates, ReportHeader header, OutputStream out, Path temp)
            throws IOException {
        this.context = context;
        this.templates = templates;
        this.header = header;
        this.out = out;
        this.swapDirectory = Files.createTempDirectory(temp, "kopek-pdf-");
        JRSwapFile swap = new JRSwapFile(context, swapDirectory.toString(), 8192, 64);
        this.virtualizer = new JRSwapFileVirtualizer(PAGES_IN_MEMORY, swap, true);
    }

    @Override
    public void table(Table table, Iterator<Object[]> rows) throws IOException {
        Map<String, Object> parameters = parameters();
        parameters.put("tableTitle", table.title());
        parameters.put("zeroDecimal", BigDecimal.ZERO);
        parameters.put("zeroInteger", 0L);
        JasperPrint section = fill(templates.table(table.columns()), parameters, PdfRows.of(table.columns(), rows));
        section.setName(table.title());
        sections.add(section);
        titles.put(table.name(), table.title());
    }

    @Override
    public void finish(ReportSummary summary) throws IOException {
        Map<String, Object> parameters = parameters();
        parameters.put("watermark", header.watermark());
        JasperPrint title = fill(
                templates.title(), parameters, PdfRows.text(List.of("section", "indicator", "value"), totals(summary)));
        title.setName(header.type().title());

        List<JasperPrint> prints =
                Stream.concat(Stream.of(title), sections.stream()).toList();
        int pages = prints.stream().mapToInt(p -> p.getPages().size()).sum();
        PdfExporter exporter = new PdfExporter(context, pages);
        exporter.setExporterInput(SimpleExporterInput.getInstance(prints));
        SimplePdfExporterConfiguration configuration = new SimplePdfExporterConfiguration();
        configuration.setCompressed(true);
        // A bookmark per section: the title page and each table.
        configuration.setCreatingBatchModeBookmarks(true);
        configuration.setMetadataTitle(header.type().title());
        configuration.setMetadataAuthor("Kopek");
        configuration.setMetadataCreator("Kopek, report run " + header.runId());
        configuration.setDisplayMetadataTitle(true);
        exporter.setConfiguration(configuration);
        // Written to the caller's stream, which stays open (theOutputStreamIsLeftOpenForTheCaller).
        exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(out));
        try {
            exporter.exportReport();
        } catch (JRException e) {
            throw new IOException("the PDF of run " + header.runId() + " was not written: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** The title page's rows: each table's row count and the sums of its summed columns, formatted. */
    private Iterator<Object[]> totals(ReportSummary summary) {
        List<Object[]> rows = new ArrayList<>();
        for (TableSummary table : summary.tables()) {
            String section = titles.getOrDefault(table.table(), table.table());
            rows.add(new Object[] {section, "Строк", PdfCells.count(table.rows())});
            for (ControlTotal total : table.totals()) {
                rows.add(new Object[] {section, total.title(), PdfCells.total(total.type(), total.value())});
            }
        }
        return rows.iterator();
    }

    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put(JRParameter.REPORT_LOCALE, PdfCells.RUSSIAN);
        parameters.put(JRParameter.REPORT_VIRTUALIZER, virtualizer);
        parameters.put("reportTitle", header.type().title());
        parameters.put("filters", filters());
        parameters.put("generatedAt", GENERATED.format(header.generatedAt()) + " МСК");
        parameters.put("runId", header.runId());
        return parameters;
    }

    private String filters() {
        return header.filters().stream()
                .map(f -> f.title() + ": " + f.value())
                .collect(Collectors.collectingAndThen(
                        Collectors.joining("\n"), lines -> lines.isEmpty() ? null : lines));
    }

    private JasperPrint fill(JasperReport report, Map<String, Object> parameters, JRDataSource rows)
            throws IOException {
        JasperPrint print;
        try {
            print = JasperFillManager.getInstance(context).fill(report, parameters, rows);
        } catch (JRException e) {
            throw new IOException("the PDF of run " + header.runId() + " was not filled: " + e.getMessage(), e);
        }
        // Filled: its pages already in the swap file are never written there again.
        JRVirtualizationContext filled = JRVirtualizationContext.getRegistered(print);
        if (filled != null) {
            filled.setReadOnly(true);
        }
        return print;
    }

    @Override
    public void close() throws IOException {
        virtualizer.cleanup();
        try (Stream<Path> files = Files.walk(swapDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
