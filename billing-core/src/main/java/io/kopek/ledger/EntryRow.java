package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.UUID;

record EntryRow(UUID transactionId, long accountId, Side side, Money amount) {}
