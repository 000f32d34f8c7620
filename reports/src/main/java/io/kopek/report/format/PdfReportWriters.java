package io.kopek.report.format;

import io.kopek.report.ReportFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.SimpleJasperReportsContext;
import net.sf.jasperreports.engine.util.JRSwapFile;
import org.springframework.stereotype.Component;

/**
 * Reports as PDF (JasperReports, the templates of {@code report-templates}): a title page with the filters and the
 * control totals, then a section per table, the page header repeating the report, its filters, when and under which
 * run it was generated; Cyrillic in DejaVu Sans, embedded. A table's pages are swapped to a temporary file as they
 * fill, so a long table takes the memory of a few pages.
 */
@Component
public class PdfReportWriters implements ReportWriters {

    private final SimpleJasperReportsContext context;
    private final PdfTemplates templates;
    private final Path temp;

    public PdfReportWriters() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Writers whose swap files go under {@code temp}. */
    PdfReportWriters(Path temp) {
        this.temp = temp;
        this.context = new SimpleJasperReportsContext(DefaultJasperReportsContext.getInstance());
        // A missing font fails the report rather than falling back to one without Cyrillic or not embedded.
        context.setProperty("net.sf.jasperreports.awt.ignore.missing.font", "false");
        context.setProperty("net.sf.jasperreports.default.font.name", "DejaVu Sans");
        context.setProperty("net.sf.jasperreports.default.pdf.embedded", "true");
        // The writer deletes its swap files on close; deleteOnExit would keep every one's name until the JVM ends.
        context.setProperty(JRSwapFile.PROPERTY_DELETE_ON_EXIT, "false");
        this.templates = new PdfTemplates(context);
    }

    @Override
    public ReportFormat format() {
        return ReportFormat.PDF;
    }

    @Override
    public ReportWriter open(ReportHeader header, OutputStream out) {
        try {
            return new PdfReportWriter(context, templates, header, out, temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
