package io.kopek.report.format;

import io.kopek.report.ReportFormat;
import java.io.OutputStream;

/** Makes the writers of one format (a bean per format). */
public interface ReportWriters {

    ReportFormat format();

    ReportWriter open(ReportHeader header, OutputStream out);
}
