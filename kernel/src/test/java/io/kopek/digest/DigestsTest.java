package io.kopek.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DigestsTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aFreshDigestHashesAsTheAlgorithmDoes() {
        // FIPS 180-2, appendix B.1, and RFC 1321, appendix A.5: the digests of "abc"
        assertThat(HexFormat.of().formatHex(Digests.of("SHA-256").fresh().digest(ABC)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(HexFormat.of().formatHex(Digests.of("MD5").fresh().digest(ABC)))
                .isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void eachDigestHandedOutIsItsCallersOwnAndStartsEmpty() {
        Digests sha256 = Digests.of("SHA-256");
        MessageDigest first = sha256.fresh();
        first.update("something else first".getBytes(StandardCharsets.US_ASCII));

        MessageDigest second = sha256.fresh();

        assertThat(second).isNotSameAs(first);
        assertThat(second.digest(ABC)).isEqualTo(Digests.of("SHA-256").fresh().digest(ABC));
        first.update(ABC);
        assertThat(first.digest()).isNotEqualTo(second.digest(ABC));
    }

    @Test
    void anAlgorithmThisJvmLacksFailsWhenTheDigestsAreMadeAndSaysWhich() {
        assertThatThrownBy(() -> Digests.of("SHA-257"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no SHA-257 digest in this JVM");
    }
}
