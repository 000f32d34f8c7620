package io.kopek.api;

import io.kopek.pan.Pans;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A card number in a request's text is refused at the edge, naming the field: no field of the API is meant to hold
 * one (card data goes to the providers, never through Kopek), and one accepted would be stored verbatim, in its
 * field and in the request's idempotency record. The same detection as everywhere ({@link Pans}: 13–19 Luhn-valid
 * digits once spaces, dots, dashes, underscores and slashes are removed); a 422, since the JSON is well formed.
 * Checked by the API's string deserializer ({@link NulCharacters#IN_JSON}), beside the NUL character.
 */
final class CardNumbers {

    static final String PROBLEM = "card-number";

    private CardNumbers() {}

    /** @throws MismatchedInputException at the field being read when {@code value} holds a card number */
    static void refuse(JsonParser p, String value) {
        if (Pans.containsPan(value)) {
            throw MismatchedInputException.from(p, String.class, PROBLEM);
        }
    }
}
