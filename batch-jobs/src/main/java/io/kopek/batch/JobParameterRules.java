package io.kopek.batch;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The parameters a job takes, checked before a run is created: an unknown or a missing one, or one that is not what
 * it should be (a date that is no date), refuses the start with a message naming it. {@code run.id}, which makes
 * each start a new run, is always allowed. The rules also say what they expect ({@link Rules#parameters()}), so the
 * API can show an operator what a job takes without a second list to keep in step.
 */
public final class JobParameterRules {

    /** What a parameter's value must be. */
    public enum Kind {
        TEXT,
        /** an ISO date, {@code 2026-12-04} */
        DATE,
        /** a whole number, e.g. the id of the record the run works on */
        LONG,
        /** a file's path (the job decides which folders it accepts) */
        PATH;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One parameter a job takes. */
    public record Parameter(String name, Kind kind, boolean required) {}

    private JobParameterRules() {}

    /** A job that takes no parameters of its own. */
    public static Rules none() {
        return exactly(Map.of());
    }

    /** A job that takes exactly these parameters, all required. */
    public static Rules exactly(Map<String, Kind> parameters) {
        return new Rules(parameters);
    }

    /** The validator a job is built with; it keeps the parameters it checks for others to read. */
    public static final class Rules implements JobParametersValidator {

        private final Map<String, Kind> parameters;
        private final DefaultJobParametersValidator keys;

        private Rules(Map<String, Kind> parameters) {
            this.parameters = Map.copyOf(parameters);
            this.keys = new DefaultJobParametersValidator(
                    parameters.keySet().toArray(String[]::new), new String[] {Jobs.RUN_ID});
            this.keys.afterPropertiesSet();
        }

        /** What the job takes, by name. */
        public List<Parameter> parameters() {
            return parameters.entrySet().stream()
                    .map(p -> new Parameter(p.getKey(), p.getValue(), true))
                    .sorted(Comparator.comparing(Parameter::name))
                    .toList();
        }

        @Override
        public void validate(JobParameters given) throws InvalidJobParametersException {
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
                String name = parameter.getKey();
                switch (parameter.getValue()) {
                    case DATE -> {
                        if (!isDate(value)) {
                            throw new InvalidJobParametersException(
                                    "parameter " + name + " must be a date (YYYY-MM-DD), not \"" + value + "\"");
                        }
                    }
                    case LONG -> {
                        if (!isLong(value)) {
                            throw new InvalidJobParametersException(
                                    "parameter " + name + " must be a whole number, not \"" + value + "\"");
                        }
                    }
                    case PATH -> {
                        if (value == null || value.isBlank()) {
                            throw new InvalidJobParametersException("parameter " + name + " must be a file's path");
                        }
                    }
                    case TEXT -> {}
                }
            }
        }
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    private static boolean isLong(String value) {
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
