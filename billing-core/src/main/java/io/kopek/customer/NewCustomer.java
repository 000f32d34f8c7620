package io.kopek.customer;

/** A customer to create; {@code language} is what Kopek writes to it in (Russian when not given). */
public record NewCustomer(CustomerType type, String name, String email, String phone, String inn, Language language) {

    public NewCustomer {
        if (language == null) {
            language = Language.RU;
        }
    }

    public NewCustomer(CustomerType type, String name, String email, String phone, String inn) {
        this(type, name, email, phone, inn, Language.RU);
    }
}
