package io.kopek.report;

import java.util.List;

/**
 * What one report of the catalogue shows: its tables for a query. A bean per report; the tables' rows are read from
 * the views the owning modules publish, within the run's one read-only snapshot, and only when each table is written.
 */
public interface ReportDefinition {

    ReportType type();

    List<Table> tables(ReportQuery query);
}
