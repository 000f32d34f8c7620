package io.kopek.report.format;

import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.pdf.JRPdfExporter;

/**
 * JasperReports' PDF exporter, numbering the pages of the whole file («Страница 3 из 12»): a report's PDF is several
 * filled reports (the title page, then a section per table), each filled before the next is known, so only the export
 * knows a page's place in the file and the file's length. The templates' footer field keyed {@code pageNumber} is
 * rewritten as its page is written.
 */
final class PdfExporter extends JRPdfExporter {

    static final String PAGE_NUMBER = "pageNumber";

    private final int pages;

    PdfExporter(JasperReportsContext context, int pages) {
        super(context);
        this.pages = pages;
    }

    @Override
    public void exportText(JRPrintText text) {
        if (PAGE_NUMBER.equals(text.getKey())) {
            // The page being written is crtDocumentPageNumber (counted from 1 over all the reports exported).
            text.setText("Страница " + crtDocumentPageNumber + " из " + pages);
            text.setTextTruncateIndex(null);
        }
        super.exportText(text);
    }
}
