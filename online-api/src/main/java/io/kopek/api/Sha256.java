package io.kopek.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests cloned from one looked up at start: {@code MessageDigest.getInstance} looks the algorithm up among
 * the security providers and checks their constraints on every call, which cost more than the hash itself on every
 * request (API keys, request hashes).
 */
final class Sha256 {

    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private Sha256() {}

    /** A fresh digest, ready for its first update. */
    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 provider's digests cannot be cloned", e);
        }
    }
}
