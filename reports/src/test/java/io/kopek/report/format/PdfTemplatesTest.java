package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.report.Column;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.SimpleJasperReportsContext;
import net.sf.jasperreports.engine.design.JRJdk13Compiler;
import org.junit.jupiter.api.Test;

class PdfTemplatesTest {

    @Test
    void aLayoutOfColumnsIsCompiledOncePerProcess() {
        PdfTemplates templates = new PdfTemplates(DefaultJasperReportsContext.getInstance());
        List<Column> columns = PdfReportWritersTest.PAYMENT_COLUMNS;

        JasperReport first = templates.table(columns);

        assertThat(templates.table(new ArrayList<>(columns))).isSameAs(first);
        assertThat(templates.table(columns.subList(0, 3))).isNotSameAs(first);
        assertThat(templates.title()).isSameAs(templates.title());
    }

    /**
     * Every expression of the templates and of the laid-out columns is a bare reference or simple text, which
     * JasperReports evaluates directly: no Java is generated, so no javac is needed where reports are made and a new
     * layout compiles in milliseconds.
     */
    @Test
    void theTemplatesCompileWithoutJavac() {
        SimpleJasperReportsContext context = new SimpleJasperReportsContext(DefaultJasperReportsContext.getInstance());
        context.setProperty("net.sf.jasperreports.compiler.java", NoJavac.class.getName());
        PdfTemplates templates = new PdfTemplates(context);

        assertThat(templates.title()).isNotNull();
        assertThat(templates.table(PdfReportWritersTest.PAYMENT_COLUMNS)).isNotNull();
    }

    /** A Java compiler that fails if it is ever asked to compile anything. */
    public static class NoJavac extends JRJdk13Compiler {

        public NoJavac(JasperReportsContext context) {
            super(context);
        }

        @Override
        public String compileClasses(File[] sources, String classpath) {
            throw new AssertionError("javac was asked to compile " + List.of(sources));
        }
    }
}
