package io.kopek.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fresh digests of one algorithm, each a clone of one looked up once. {@code MessageDigest.getInstance} looks the
 * algorithm up among the security providers and checks their constraints on every call; on the API's hot paths that
 * cost more than the hash itself (JFR, bench/README.md). A clone costs a copy of the digest's state.
 */
public final class Digests {

    private final MessageDigest prototype;

    private Digests(MessageDigest prototype) {
        this.prototype = prototype;
    }

    /**
     * The digests of {@code algorithm} (a JCA name: {@code SHA-256}, {@code MD5}); fails at once where this JVM has
     * none, or where its provider's digests cannot be cloned, rather than at the first use.
     */
    public static Digests of(String algorithm) {
        MessageDigest prototype;
        try {
            prototype = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no " + algorithm + " digest in this JVM", e);
        }
        Digests digests = new Digests(prototype);
        digests.fresh(); // a provider whose digests are not cloneable is found out here
        return digests;
    }

    /** A digest in its initial state, ready for its first update; the caller's own. */
    public MessageDigest fresh() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the " + prototype.getAlgorithm() + " digests cannot be cloned", e);
        }
    }
}
