package io.kopek.api;

import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.catalog.NewProduct;
import io.kopek.catalog.Product;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

    record CreateMerchant(
            @NotNull @Pattern(regexp = "[A-Z0-9]{2,12}") String code,
            @NotBlank String name,

            @Pattern(regexp = "[0-9]{10}|[0-9]{12}", message = "must be 10 or 12 digits")
            String inn) {}

    @Operation(summary = "Create a merchant")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/merchants")
    @ResponseStatus(HttpStatus.CREATED)
    Merchant createMerchant(@Valid @RequestBody CreateMerchant body) {
        return catalog.createMerchant(body.code(), body.name(), body.inn());
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
