package io.kopek.report;

import java.time.Instant;

/**
 * A report run as it stands: what was asked, by whom; its progress; and once it succeeded, what it read (the ledger
 * watermark), what it holds (rows, control totals) and its file (name, type, size, SHA-256).
 *
 * @param generatedAt the time the file shows (in the business zone there)
 */
public record ReportRun(
        long id,
        ReportType report,
        ReportFormat format,
        ReportFilters filters,
        CsvProfile csvProfile,
        CsvProfile.CsvCharset csvCharset,
        ReportRunState state,
        String requestedBy,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        long progressRows,
        Long rowCount,
        Long watermark,
        Instant generatedAt,
        ReportSummary controlTotals,
        String sha256,
        String fileName,
        String contentType,
        Long fileSize,
        String failure,
        Long jobRunId,
        Instant expiresAt) {}
