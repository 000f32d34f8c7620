package io.kopek.api;

import io.kopek.digest.Digests;
import java.security.MessageDigest;

/** SHA-256 for the API's per-request hashes (API keys, staff sessions, request hashes), without a lookup each. */
final class Sha256 {

    private static final Digests DIGESTS = Digests.of("SHA-256");

    private Sha256() {}

    /** A fresh digest, ready for its first update. */
    static MessageDigest digest() {
        return DIGESTS.fresh();
    }
}
