package io.kopek.demo;

import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says where to download each report as it is made: the reconciliation reports of the demo's day, made in XLSX and
 * PDF once the providers' registries are reconciled, and any a newcomer asks for.
 */
@Component
@Profile("demo")
class DemoReports implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoReports.class);

    private final ReportRuns runs;
    private final Set<Long> told = new HashSet<>();
    private volatile Thread watcher;

    DemoReports(ReportRuns runs) {
        this.runs = runs;
    }

    @EventListener
    void watch(WebServerInitializedEvent event) {
        String base = "http://localhost:" + event.getWebServer().getPort() + "/api/v1/report-runs/";
        runs.list(null, ReportRunState.SUCCEEDED, 200).forEach(r -> told.add(r.id())); // a restart tells only new ones
        watcher = Thread.ofVirtual().name("demo-reports").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (ReportRun run : runs.list(null, ReportRunState.SUCCEEDED, 50)) {
                        if (told.add(run.id())) {
                            log.info(
                                    "demo: report ready, {} ({} rows): curl -OJ -H \"Authorization: Bearer <admin key>\" {}{}/file",
                                    run.fileName(),
                                    run.rowCount(),
                                    base,
                                    run.id());
                        }
                    }
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.debug("demo: cannot list report runs now", e);
                }
            }
        });
    }

    @Override
    public void destroy() {
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
        }
    }
}
