package io.kopek.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a POST of the API is made idempotent under its {@code Idempotency-Key} ({@link Idempotency}), declared on
 * its handler method; {@link Endpoints} refuses to start an API with a POST that does not say.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {

    Mode value();

    /**
     * A field of the answer that is shown once and never kept: an issued API key's secret. The key's record keeps
     * the answer without it, so a replay answers without it too.
     */
    String secret() default "";

    /**
     * Fields of the request that are passwords: left out of the request's hash that the key's record keeps, since a
     * fast hash of a password is a way to guess it. A repeat with the same key and another password is taken for
     * the same request.
     */
    String[] passwords() default {};

    enum Mode {
        /** The request runs in one transaction that ends by writing the key's record with the answer. */
        IN_TRANSACTION,
        /**
         * The request calls a payment provider, or starts a batch run that commits on its own thread, so it cannot
         * run inside the key's transaction: the record is written first, the operations are idempotent by
         * themselves (keyed by the request's key), and the answer is stored after.
         */
        BY_ITS_OPERATIONS
    }
}
