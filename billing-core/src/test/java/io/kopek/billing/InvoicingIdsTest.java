package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A ledger transaction's id is the name-based UUID the JDK makes of its kind and object. */
class InvoicingIdsTest {

    @Test
    void aTransactionIdIsTheJdksNameBasedUuidOfItsKindAndObject() {
        Random random = new Random(20261205);
        String[] kinds = {"hold_capture", "invoice_issued", "invoice_cancelled", "", "платёж"};
        for (int n = 0; n < 10_000; n++) {
            String kind = kinds[random.nextInt(kinds.length)];
            long id = n < 100 ? n - 50 : random.nextLong();

            UUID made = Invoicing.transactionId(kind, id);

            assertThat(made)
                    .as("%s:%d", kind, id)
                    .isEqualTo(UUID.nameUUIDFromBytes((kind + ":" + id).getBytes(StandardCharsets.UTF_8)));
            assertThat(made.version()).isEqualTo(3);
        }
    }
}
