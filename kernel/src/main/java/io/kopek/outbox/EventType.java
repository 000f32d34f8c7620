package io.kopek.outbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link DomainEvent}'s stable name ({@code <aggregate>.<what happened>}, past tense, American spelling as the
 * providers use: {@code canceled}), its payload's version, the kind of aggregate it is about and which of its
 * components names that aggregate.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    String name();

    String aggregate();

    /** The record's component that holds the aggregate's id (an invoice's {@code invoiceId}). */
    String aggregateId();

    int version() default 1;
}
