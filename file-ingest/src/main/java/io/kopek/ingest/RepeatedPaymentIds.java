package io.kopek.ingest;

import java.util.Set;
import java.util.TreeSet;

/**
 * The payment ids a file holds on more than one line, found as its lines pass: each id's 64-bit hash goes into an
 * open-addressed table of longs, at most half full, and an id is kept only when its hash was seen before. A million
 * distinct ids take 16 MiB for the time of the import, not the ~100 MiB a set of the ids would. Two ids whose
 * hashes meet (about one pair in 10^7 for a million lines) list an id that is not repeated: the reconciliation then
 * ranks its one line alone, which gives what it would have given anyway.
 */
final class RepeatedPaymentIds {

    private static final long EMPTY = 0;

    private long[] seen = new long[1 << 16];
    private int size;
    private final Set<String> repeated = new TreeSet<>();

    /** A line's payment id (none: nothing to note; the reconciliation looks at lines without one anyway). */
    void add(String paymentId) {
        if (paymentId == null) {
            return;
        }
        long hash = hash(paymentId);
        int mask = seen.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            if (seen[i] == EMPTY) {
                seen[i] = hash;
                if (++size * 2 > seen.length) {
                    grow();
                }
                return;
            }
            if (seen[i] == hash) {
                repeated.add(paymentId);
                return;
            }
        }
    }

    /** The ids seen on more than one line, in order. */
    Set<String> repeated() {
        return repeated;
    }

    private void grow() {
        long[] old = seen;
        seen = new long[old.length * 2];
        int mask = seen.length - 1;
        for (long hash : old) {
            if (hash != EMPTY) {
                int i = (int) hash & mask;
                while (seen[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                seen[i] = hash;
            }
        }
    }

    /** FNV-1a over the id's characters, mixed by MurmurHash3's finalizer; never {@link #EMPTY}. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb3fa3a7bb9d3L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }
}
