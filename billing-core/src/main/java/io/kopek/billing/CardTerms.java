package io.kopek.billing;

import io.kopek.money.Money;
import java.util.List;

/**
 * How an invoice may be paid by card: the amount, whether it goes through a hold first, and the providers its
 * rules allow, in priority order.
 */
public record CardTerms(Invoice invoice, Money amount, boolean hold, List<String> providers) {

    public CardTerms {
        providers = List.copyOf(providers);
    }
}
