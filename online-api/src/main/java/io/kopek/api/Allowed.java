package io.kopek.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call an endpoint of the API, declared on its handler method: the roles whose API keys it admits, or, for
 * the providers' callbacks, any caller without a key (each provider module authenticates its own callbacks).
 * {@link Endpoints} refuses to start an API whose handler lacks it, and checks it for every request before the
 * request is read; customer keys are further limited to their own customer by the handlers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allowed {

    ApiRole[] value() default {};

    /** No API key is asked: the providers' callbacks. */
    boolean withoutKey() default false;
}
