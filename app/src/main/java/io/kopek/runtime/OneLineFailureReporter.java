package io.kopek.runtime;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Start-up failures that Spring Boot can explain (bad configuration, unreachable database) are printed as one
 * line an operator can act on, instead of a stack trace. Boot's own multi-line report is switched off in
 * {@code application.yml}.
 */
class OneLineFailureReporter implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        System.err.println(line(analysis));
        System.err.flush();
    }

    static String line(FailureAnalysis analysis) {
        String what = squeeze(analysis.getDescription());
        String action = squeeze(analysis.getAction());
        return "Kopek cannot start: " + what + (action.isEmpty() ? "" : " -> " + action);
    }

    private static String squeeze(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
