package io.kopek.api;

/** The caller behind an API key; {@code customerId} is set exactly for customer keys. */
public record ApiPrincipal(long keyId, ApiRole role, Long customerId, String name) {

    public boolean isCustomer() {
        return role == ApiRole.CUSTOMER;
    }

    /** Who did something, as audit logs write it: {@code key:<name>}. */
    public String actor() {
        return "key:" + name;
    }
}
