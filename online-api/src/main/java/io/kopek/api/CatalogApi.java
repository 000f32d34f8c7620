package io.kopek.api;

import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.catalog.NewMerchant;
import io.kopek.catalog.NewProduct;
import io.kopek.catalog.Product;
import io.kopek.catalog.Requisites;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.springframework.http.HttpStatus;
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
@RequestMapping("/api/v1")
class CatalogApi {

    private final Catalog catalog;

    CatalogApi(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * A merchant; its ИНН and bank details are optional, and checked when given (check digits, the accounts'
     * control keys against the БИК), each wrong field named in the 400 ({@link ValidRequisites}).
     */
    @ValidRequisites
    record CreateMerchant(
            @NotNull @Pattern(regexp = "[A-Z0-9]{2,12}") String code,
            @NotBlank String name,
            String inn,
            BankDetails bankDetails)
            implements WithRequisites {}

    /** A merchant's ИНН with the bank details checked against it. */
    @ValidRequisites
    record SetBankDetails(@NotNull String inn, @NotNull BankDetails bankDetails) implements WithRequisites {}

    /** What {@link ValidRequisites} checks. */
    interface WithRequisites {
        String inn();

        BankDetails bankDetails();
    }

    /**
     * The ИНН and the bank details of a request checked as the catalog checks them
     * ({@link Requisites#check}), each violation reported at its own field ({@code bank_details.settlement_account}).
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = RequisitesValidator.class)
    @interface ValidRequisites {
        String message() default "invalid requisites";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    static class RequisitesValidator implements ConstraintValidator<ValidRequisites, WithRequisites> {
        @Override
        public boolean isValid(WithRequisites merchant, ConstraintValidatorContext context) {
            var violations = Requisites.check(merchant.inn(), merchant.bankDetails());
            if (violations.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (Requisites.Violation v : violations) {
                var builder = context.buildConstraintViolationWithTemplate(escaped(v.message()));
                String[] path = v.field().split("\\.");
                var node = builder.addPropertyNode(path[0]);
                for (int i = 1; i < path.length; i++) {
                    node = node.addPropertyNode(path[i]);
                }
                node.addConstraintViolation();
            }
            return false;
        }

        /** A message is a template to the validator: braces and dollars in it are text. */
        private static String escaped(String message) {
            return message.replace("\\", "\\\\")
                    .replace("{", "\\{")
                    .replace("}", "\\}")
                    .replace("$", "\\$");
        }
    }

    @Operation(summary = "Create a merchant")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/merchants")
    @ResponseStatus(HttpStatus.CREATED)
    Merchant createMerchant(@Valid @RequestBody CreateMerchant body) {
        return catalog.createMerchant(new NewMerchant(body.code(), body.name(), body.inn(), body.bankDetails()));
    }

    @Operation(
            summary = "Give a merchant its bank details",
            description = "The ИНН and the bank details together (the details are checked against the ИНН), for a"
                    + " merchant made without them or whose account changed")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/merchants/{id}/bank-details")
    Merchant setBankDetails(@PathVariable long id, @Valid @RequestBody SetBankDetails body) {
        return catalog.setBankDetails(id, body.inn(), body.bankDetails());
    }

    @Operation(summary = "List the merchants")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/merchants")
    List<Merchant> merchants() {
        return catalog.merchants();
    }

    record CreateProduct(
            @NotNull Long merchantId,
            @NotBlank String sku,
            @NotBlank String name,

            @NotNull @Pattern(regexp = "[a-z0-9_.-]{1,64}", message = "must be a lower-case code")
            String category,

            @NotNull @Valid MoneyJson unitPrice,
            String measure) {}

    @Operation(summary = "Create a product")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/products")
    @ResponseStatus(HttpStatus.CREATED)
    Product createProduct(@Valid @RequestBody CreateProduct body) {
        return catalog.createProduct(new NewProduct(
                body.merchantId(),
                body.sku(),
                body.name(),
                body.category(),
                body.unitPrice().toMoney(),
                body.measure()));
    }

    @Operation(summary = "List the products")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/products")
    Page<Product> products(
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, catalog::products, Product::id);
    }

    @Operation(summary = "Get a product")
    @Allowed({ApiRole.CUSTOMER, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/products/{id}")
    Product product(@PathVariable long id) {
        return catalog.product(id).orElseThrow(() -> KopekException.notFound("product", id));
    }
}
