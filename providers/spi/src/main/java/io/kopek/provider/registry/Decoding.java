package io.kopek.provider.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Registry bytes to characters: a UTF-8 byte-order mark is dropped (and means UTF-8), UTF-16 is refused, and in
 * {@link RegistryEncoding#AUTO} the first 64 KiB decide between UTF-8 and Windows-1251. Decoding is strict: a byte
 * that is not valid in the chosen charset fails the read with a {@link CharacterCodingException}, so a file in the
 * wrong encoding is rejected instead of read as mojibake.
 */
public final class Decoding {

    public static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final int SNIFF = 64 * 1024;

    /** The charset chosen and the reader over the rest of the stream. */
    public record Decoded(Charset charset, boolean byteOrderMark, Reader reader) {}

    private Decoding() {}

    /** @throws IllegalArgumentException when the bytes are UTF-16 (or 32) */
    public static Decoded open(InputStream in, RegistryEncoding encoding) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, SNIFF);
        buffered.mark(SNIFF);
        byte[] head = buffered.readNBytes(SNIFF);
        buffered.reset();
        boolean bom =
                head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        if (head.length >= 2
                && (((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)
                        || ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF))) {
            throw new IllegalArgumentException("wrong encoding: the file is UTF-16, expected UTF-8 or Windows-1251");
        }
        Charset charset;
        if (bom) {
            buffered.skipNBytes(3);
            charset = StandardCharsets.UTF_8;
        } else {
            charset = switch (encoding) {
                case UTF_8 -> StandardCharsets.UTF_8;
                case WINDOWS_1251 -> WINDOWS_1251;
                case AUTO -> validUtf8(head, head.length < SNIFF) ? StandardCharsets.UTF_8 : WINDOWS_1251;
            };
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new Decoded(charset, bom, new InputStreamReader(buffered, decoder));
    }

    /** Whether the bytes are UTF-8; a sequence cut by the end of a partial read is given the benefit of the doubt. */
    static boolean validUtf8(byte[] bytes, boolean whole) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, java.nio.CharBuffer.allocate(bytes.length), whole);
        if (result.isError()) {
            return false;
        }
        return whole ? !decoder.flush(java.nio.CharBuffer.allocate(16)).isError() : true;
    }
}
