package io.kopek.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.pan.Pans;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small pieces every registry parser is built from. */
class RegistryToolkitTest {

    @Test
    void amountsBecomeMinorUnitsExactlyWithACommaOrAPoint() {
        assertThat(Amounts.minor("1 234,56", DecimalMark.COMMA, 2)).isEqualTo(123456);
        assertThat(Amounts.minor("1\u00A0234,5", DecimalMark.COMMA, 2)).isEqualTo(123450);
        assertThat(Amounts.minor("-300.00", DecimalMark.POINT, 2)).isEqualTo(-30000);
        assertThat(Amounts.minor("0.1", DecimalMark.EITHER, 2)).isEqualTo(10);
        assertThat(Amounts.minor("0,29", DecimalMark.EITHER, 2)).isEqualTo(29); // 0.29 is not a double's 0.28999...
        assertThat(Amounts.minor("150000", DecimalMark.MINOR, 2)).isEqualTo(150000);
        assertThat(Amounts.minor("15", DecimalMark.POINT, 0)).isEqualTo(15);
    }

    @Test
    void anAmountThatIsNotExactlyMoneyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Amounts.minor("12O,50", DecimalMark.COMMA, 2)).hasMessageContaining("unparsable");
        assertThatThrownBy(() -> Amounts.minor("1.234,56", DecimalMark.COMMA, 2))
                .hasMessageContaining("unparsable");
        assertThatThrownBy(() -> Amounts.minor("12,50", DecimalMark.POINT, 2)).hasMessageContaining("unparsable");
        assertThatThrownBy(() -> Amounts.minor("1.005", DecimalMark.POINT, 2)).hasMessageContaining("decimals");
        assertThatThrownBy(() -> Amounts.minor("", DecimalMark.POINT, 2)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Amounts.minor("99999999999999999999", DecimalMark.MINOR, 2))
                .hasMessageContaining("range");
    }

    @Test
    void aFullCardNumberIsMaskedToItsFirstSixAndLastFour() {
        assertThat(Pans.mask("4276380012345679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("карта 4276 3800 1234 5679, спасибо")).isEqualTo("карта 427638******5679, спасибо");
        assertThat(Pans.mask("2200-7001-2345-6789-012")).isEqualTo("220070*********9012");
        assertThat(Pans.containsPan("4111111111111111")).isTrue();
        // Masked even inside an id (it was left alone before issue 14): a card number glued to letters is still a
        // card number, and a provider that builds ids from them stores and logs one; a Luhn-valid run of 13-19
        // digits is masked wherever it stands.
        assertThat(Pans.mask("acme_4276380012345679ab")).isEqualTo("acme_427638******5679ab");
    }

    @Test
    void digitsThatAreNotACardNumberAreLeftAlone() {
        assertThat(Pans.mask("4276380012345678")).as("fails Luhn").isEqualTo("4276380012345678");
        assertThat(Pans.mask("427638******5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("123456789012")).as("an RRN").isEqualTo("123456789012");
        assertThat(Pans.mask("2d5a3c1e-000f-5000-9000-1a2b3c4d5e6f")).isEqualTo("2d5a3c1e-000f-5000-9000-1a2b3c4d5e6f");
    }

    @Test
    void aByteOrderMarkIsDroppedAndMeansUtf8() throws IOException {
        byte[] bytes =
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "СУММА;1".getBytes(StandardCharsets.UTF_8));

        Decoding.Decoded decoded = Decoding.open(new ByteArrayInputStream(bytes), RegistryEncoding.WINDOWS_1251);

        assertThat(decoded.byteOrderMark()).isTrue();
        assertThat(read(decoded.reader())).isEqualTo("СУММА;1");
    }

    @Test
    void windows1251IsRecognisedWhenTheBytesAreNotUtf8() throws IOException {
        byte[] bytes = "ИТОГО;3;1500,00".getBytes(Decoding.WINDOWS_1251);

        Decoding.Decoded decoded = Decoding.open(new ByteArrayInputStream(bytes), RegistryEncoding.AUTO);

        assertThat(decoded.charset()).isEqualTo(Decoding.WINDOWS_1251);
        assertThat(read(decoded.reader())).isEqualTo("ИТОГО;3;1500,00");
    }

    @Test
    void bytesInTheWrongEncodingFailTheRead() throws IOException {
        byte[] bytes = "ИТОГО".getBytes(Decoding.WINDOWS_1251);

        Decoding.Decoded decoded = Decoding.open(new ByteArrayInputStream(bytes), RegistryEncoding.UTF_8);

        assertThatThrownBy(() -> read(decoded.reader())).isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> Decoding.open(
                        new ByteArrayInputStream(new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0}), RegistryEncoding.AUTO))
                .hasMessageContaining("UTF-16");
    }

    static String read(Reader reader) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[256];
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            out.append(buffer, 0, n);
        }
        return out.toString();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
