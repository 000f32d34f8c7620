package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReportsTestApplication;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportType;
import io.kopek.testing.TestClockConfiguration;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The PDF writer is the application's writer of PDF runs: a run asked for in PDF is generated through it. */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class PdfReportRunTest {

    @Autowired
    ReportRuns runs;

    @Autowired
    ReportGenerator generator;

    @Test
    void aRunAskedForInPdfIsAPdfWithTheReportsTitleAndPages() throws IOException {
        LocalDate day = LocalDate.of(2026, 12, 1);
        ReportRun asked = runs.request(
                NewReportRun.of(
                        ReportType.TURNOVER,
                        ReportFormat.PDF,
                        new ReportFilters(day, day, null, null, null, null, null, null, null, null)),
                "accountant");

        ReportRun done = generator.generate(asked.id());

        assertThat(done.state()).isEqualTo(ReportRunState.SUCCEEDED);
        ReportRuns.ReportFile file = runs.file(done.id());
        assertThat(file.contentType()).isEqualTo("application/pdf");
        try (PDDocument document = Loader.loadPDF(file.path().toFile())) {
            int pages = document.getNumberOfPages();
            String text = PdfReportWritersTest.text(document, 1, pages);
            assertThat(text)
                    .contains("Оборотно-сальдовая ведомость")
                    .contains("Период: 01.12.2026")
                    .contains("Запуск отчёта № " + done.id())
                    .contains("Страница 1 из " + pages)
                    .contains("Страница " + pages + " из " + pages);
        }
    }
}
