package io.kopek.provider.registry;

import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Streams that stop at a bound: a file, a line or a part of a workbook larger than it fails the read with
 * {@link LimitExceeded}, whose message says which bound, before the bytes pile up in memory.
 */
final class Bounded {

    private Bounded() {}

    /** A bound crossed; the message is the reason a person reads. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(String message) {
            super(message);
        }
    }

    /** At most {@code max} bytes of {@code in}; one more fails the read. */
    static InputStream bytes(InputStream in, long max) {
        return bytes(in, max, "too large: over " + max + " bytes");
    }

    static InputStream bytes(InputStream in, long max, String reason) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                count(skipped);
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            private void count(long n) throws LimitExceeded {
                read += n;
                if (read > max) {
                    throw new LimitExceeded(reason);
                }
            }
        };
    }

    /** Characters of {@code in} with no line longer than {@code max} (a line ends at LF or CR). */
    static Reader lines(Reader in, int max) {
        return new FilterReader(in) {
            private long line;

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    see((char) c);
                }
                return c;
            }

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                for (int i = offset; i < offset + n; i++) {
                    see(buffer[i]);
                }
                return n;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            private void see(char c) throws LimitExceeded {
                if (c == '\n' || c == '\r') {
                    line = 0;
                } else if (++line > max) {
                    throw new LimitExceeded("a line longer than " + max + " characters");
                }
            }
        };
    }
}
