package io.kopek.report;

import java.time.LocalDateTime;

/**
 * What a report is generated for: its checked filters, and the ledger watermark, the last ledger entry the run reads
 * (fixed when a run first starts and kept for a restart, so the same run gives the same figures).
 *
 * @param generatedAt when the run started, in the business zone
 */
public record ReportQuery(ReportType type, ReportFilters filters, long watermark, LocalDateTime generatedAt) {}
