package io.kopek.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live events of job runs ({@code GET /api/v1/job-runs/events}): how often the one poller of a process asks the
 * database what changed (only while someone listens), how often an idle connection gets a heartbeat comment (below
 * the idle timeouts of proxies, commonly 30–60 s), how long one connection lasts before the browser's EventSource
 * reconnects, and how many may listen at once per process.
 */
@ConfigurationProperties("kopek.scheduler.job-run-events")
record JobRunEventsProperties(
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("30m") Duration connection,
        @DefaultValue("100") int maxListeners) {}
