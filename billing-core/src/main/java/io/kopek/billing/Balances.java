package io.kopek.billing;

import io.kopek.customer.Customers;
import io.kopek.ledger.AccountBalance;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import java.util.Currency;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Customers' prepaid balances, read from the ledger: available = posted − held. */
@Service
public class Balances {

    private final Ledger ledger;
    private final Customers customers;

    Balances(Ledger ledger, Customers customers) {
        this.ledger = ledger;
        this.customers = customers;
    }

    @Transactional(readOnly = true)
    public Balance of(long customerId, Currency currency) {
        customers.get(customerId);
        String code = Accounts.balanceCode(customerId, currency);
        return ledger.balance(code)
                .map(b -> balance(customerId, b))
                .orElseGet(() -> new Balance(
                        customerId, code, Money.zero(currency), Money.zero(currency), Money.zero(currency)));
    }

    /** Every currency the customer has a balance in. */
    @Transactional(readOnly = true)
    public List<Balance> all(long customerId) {
        customers.get(customerId);
        return ledger.balancesWithPrefix("customer:" + customerId + ":balance:").stream()
                .map(b -> balance(customerId, b))
                .toList();
    }

    private static Balance balance(long customerId, AccountBalance b) {
        return new Balance(customerId, b.code(), b.posted(), b.pendingOut(), b.available());
    }
}
