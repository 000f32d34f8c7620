package io.kopek.sandbox.sber;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SberChecksumTest {

    /** The vector was computed independently (Python hmac) from the documented algorithm. */
    @Test
    void signsSortedNameValuePairsWithHmacSha256InUpperCaseHex() {
        Map<String, String> params = Map.of(
                "mdOrder", "b9054b5c-ad2a-4c5a-9e4d-1b6fbd4f4a01",
                "orderNumber", "DEMO-2026-000042",
                "operation", "deposited",
                "status", "1",
                "amount", "150000",
                "checksum", "ignored when signing");

        assertThat(SberChecksum.of(params, "sber-callback-key"))
                .isEqualTo("06EDCBEBE8D998276DDA3D44FDC05D849C51D78FA00168F7EB5DFE451D9A704F");
    }
}
