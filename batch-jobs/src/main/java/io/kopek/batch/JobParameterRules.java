package io.kopek.batch;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The parameters a job takes, checked before a run is created: an unknown or a missing one, or one that is not what
 * it should be (a date that is no date), refuses the start with a message naming it. {@code run.id}, which makes
 * each start a new run, is always allowed.
 */
public final class JobParameterRules {

    /** What a parameter's value must be. */
    public enum Kind {
        TEXT,
        /** an ISO date, {@code 2026-12-04} */
        DATE
    }

    private JobParameterRules() {}

    /** A job that takes no parameters of its own. */
    public static JobParametersValidator none() {
        return exactly(Map.of());
    }

    /** A job that takes exactly these parameters, all required. */
    public static JobParametersValidator exactly(Map<String, Kind> parameters) {
        DefaultJobParametersValidator keys = new DefaultJobParametersValidator(
                parameters.keySet().toArray(String[]::new), new String[] {Jobs.RUN_ID});
        keys.afterPropertiesSet();
        return given -> {
            // Spring Batch's validator only warns of keys it does not know; here they refuse the run.
            Set<String> unknown = new TreeSet<>();
            given.forEach(p -> unknown.add(p.name()));
            unknown.removeAll(parameters.keySet());
            unknown.remove(Jobs.RUN_ID);
            if (!unknown.isEmpty()) {
                throw new InvalidJobParametersException(
                        "unknown parameters " + unknown + "; it takes " + new TreeSet<>(parameters.keySet()));
            }
            keys.validate(given);
            for (Map.Entry<String, Kind> parameter : parameters.entrySet()) {
                String value = given.getString(parameter.getKey());
                if (parameter.getValue() == Kind.DATE && !isDate(value)) {
                    throw new InvalidJobParametersException(
                            "parameter " + parameter.getKey() + " must be a date (YYYY-MM-DD), not \"" + value + "\"");
                }
            }
        };
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
