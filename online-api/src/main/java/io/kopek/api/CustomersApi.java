package io.kopek.api;

import static io.kopek.api.Access.requireOwn;

import io.kopek.billing.Balance;
import io.kopek.billing.Balances;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.customer.Customer;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.Language;
import io.kopek.customer.NewCustomer;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/customers")
class CustomersApi {

    private final Customers customers;
    private final Balances balances;
    private final Payments payments;

    CustomersApi(Customers customers, Balances balances, Payments payments) {
        this.customers = customers;
        this.balances = balances;
        this.payments = payments;
    }

    record CreateCustomer(
            @NotNull @Pattern(regexp = "individual|sole_proprietor|company")
            String type,

            @NotBlank String name,
            @Email String email,

            @Pattern(regexp = "\\+?[0-9]{10,15}", message = "must be a phone number in digits")
            String phone,

            @Pattern(regexp = "[0-9]{10}|[0-9]{12}", message = "must be 10 or 12 digits")
            String inn,

            /** What Kopek writes to the customer in (e-mails): {@code ru} (the default) or {@code en}. */
            @Pattern(regexp = "ru|en", message = "must be ru or en")
            String language) {}

    @Operation(summary = "Create a customer")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Customer create(@Valid @RequestBody CreateCustomer body) {
        return customers.create(new NewCustomer(
                CustomerType.of(body.type()),
                body.name(),
                body.email(),
                body.phone(),
                body.inn(),
                body.language() == null ? null : Language.of(body.language())));
    }

    @Operation(summary = "List the customers")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    Page<Customer> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, customers::list, Customer::id);
    }

    @Operation(summary = "Get a customer")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/{id}")
    Customer get(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        requireOwn(caller, id, "customer", id);
        return customers.get(id);
    }

    @Operation(summary = "Get a customer's balances")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/{id}/balances")
    List<Balance> balances(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        requireOwn(caller, id, "customer", id);
        return balances.all(id);
    }

    record TopUp(@NotNull @Valid MoneyJson amount, @NotBlank String reference) {}

    /** A bank transfer to the customer's prepaid balance, recorded by an accountant. */
    @Operation(summary = "Record a bank transfer to a customer's balance")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    Payment topUp(@PathVariable long id, @Valid @RequestBody TopUp body) {
        if (customers.find(id).isEmpty()) {
            throw KopekException.notFound("customer", id);
        }
        return payments.topUp(id, body.amount().toMoney(), body.reference());
    }
}
