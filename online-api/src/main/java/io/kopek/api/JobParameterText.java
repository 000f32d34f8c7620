package io.kopek.api;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A batch job's parameters in a request body: checked as every string of a request ({@link NulCharacters#IN_JSON}),
 * but the {@code file} parameter is a path into the staging folder, whose random digits pass the Luhn check now and
 * then; it is checked for NUL only, and the job takes no path outside that folder (a name is not a card number
 * there: the intake masks none, it refuses the odd file names). Public for the job-control API of the scheduler
 * module: {@code @JsonDeserialize(contentUsing = JobParameterText.class)} on the parameters' map.
 */
public final class JobParameterText extends StringDeserializer {

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        String value = super.deserialize(p, ctxt);
        if (value != null && value.indexOf('\0') >= 0) {
            throw MismatchedInputException.from(p, String.class, NulCharacters.PROBLEM);
        }
        if (!"file".equals(p.currentName())) {
            CardNumbers.refuse(p, value);
        }
        return value;
    }
}
