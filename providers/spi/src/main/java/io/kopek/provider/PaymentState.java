package io.kopek.provider;

/** Our payment states, to which every provider's statuses are mapped. */
public enum PaymentState {
    /** Created, waiting for the payer (3-D Secure, redirect). */
    PENDING,
    /** Authorised and held, waiting for capture or cancel. */
    AUTHORIZED,
    /** Charged (captured). */
    SUCCEEDED,
    /** Cancelled before any money moved: voided, expired or declined. */
    CANCELED,
    /** All of it was refunded. */
    REFUNDED;
}
