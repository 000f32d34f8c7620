package io.kopek.ledger;

/** What posting a transaction did: wrote it, or found it already written under the same id. */
public enum PostingOutcome {
    POSTED,
    ALREADY_POSTED
}
