package io.kopek.api;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bodies of the lean path's two requests read token by token, for the plain shape a merchant's backend sends
 * ({@code {"invoice_id":1,"amount":{"amount":10000,"currency":"RUB"}}}), instead of by the mapper's binding of a
 * record through its constructor (the largest item of a request thread's CPU once the filters went, JFR). Anything
 * else (a name the record does not have or has twice, a number as a text or with a fraction, another token, bytes
 * after the object) reads as null, and the request goes on to Spring MVC, where the API's mapper reads it as for any
 * other endpoint. What is read here is what the mapper reads: HoldBodiesTest holds the two to it on generated
 * bodies. The parser is the mapper's, with its limits.
 */
final class HoldBodies {

    private HoldBodies() {}

    /** A placement of the plain shape, or null. */
    static HoldsApi.PlaceHold place(JsonMapper json, byte[] body) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Long invoice = null;
            MoneyJson amount = null;
            Integer lifetime = null;
            boolean invoiceRead = false, amountRead = false, lifetimeRead = false;
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "invoice_id" -> {
                        if (invoiceRead || value != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        invoiceRead = true;
                        invoice = p.getLongValue();
                    }
                    case "amount" -> {
                        if (amountRead) {
                            return null;
                        }
                        amountRead = true;
                        if (value != JsonToken.VALUE_NULL && (amount = money(p, value)) == null) {
                            return null;
                        }
                    }
                    case "lifetime_seconds" -> {
                        if (lifetimeRead) {
                            return null;
                        }
                        lifetimeRead = true;
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            lifetime = p.getIntValue();
                        } else if (value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return ended(p) ? new HoldsApi.PlaceHold(invoice, amount, lifetime) : null;
        } catch (JacksonException e) {
            return null; // not JSON, or a number beyond its type: the mapper's to name
        }
    }

    /** A capture of the plain shape, or null. */
    static HoldsApi.Capture capture(JsonMapper json, byte[] body) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            MoneyJson amount = null;
            boolean amountRead = false;
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken value = p.nextToken();
                if (!name.equals("amount") || amountRead) {
                    return null;
                }
                amountRead = true;
                if (value != JsonToken.VALUE_NULL && (amount = money(p, value)) == null) {
                    return null;
                }
            }
            return ended(p) ? new HoldsApi.Capture(amount) : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** {@code {"amount": <integer>, "currency": <text or null>}} in either order, each at most once; or null. */
    private static MoneyJson money(JsonParser p, JsonToken start) {
        if (start != JsonToken.START_OBJECT) {
            return null;
        }
        Long amount = null;
        String currency = null;
        boolean amountRead = false, currencyRead = false;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "amount" -> {
                    if (amountRead || value != JsonToken.VALUE_NUMBER_INT) {
                        return null;
                    }
                    amountRead = true;
                    amount = p.getLongValue();
                }
                case "currency" -> {
                    if (currencyRead || (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL)) {
                        return null;
                    }
                    currencyRead = true;
                    currency = value == JsonToken.VALUE_NULL ? null : p.getString();
                }
                default -> {
                    return null;
                }
            }
        }
        return p.currentToken() == JsonToken.END_OBJECT ? new MoneyJson(amount, currency) : null;
    }

    /** The object closed and nothing after it. */
    private static boolean ended(JsonParser p) {
        return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
    }
}
