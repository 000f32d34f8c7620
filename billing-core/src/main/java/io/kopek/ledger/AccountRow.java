package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.Currency;

record AccountRow(
        long id,
        String code,
        Currency currency,
        Side normalSide,
        boolean allowNegative,
        long debitsPosted,
        long creditsPosted,
        long debitsPending,
        long creditsPending) {

    long postedOnNormalSide() {
        return normalSide == Side.DEBIT ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
    }

    long pendingOut() {
        return normalSide == Side.DEBIT ? creditsPending : debitsPending;
    }

    long pendingIn() {
        return normalSide == Side.DEBIT ? debitsPending : creditsPending;
    }

    long availableOnNormalSide() {
        return postedOnNormalSide() - pendingOut();
    }

    AccountBalance balance() {
        return new AccountBalance(
                code,
                new Money(postedOnNormalSide(), currency),
                new Money(pendingOut(), currency),
                new Money(pendingIn(), currency));
    }
}
