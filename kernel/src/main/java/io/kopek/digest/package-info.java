/**
 * Message digests on hot paths (API keys, request hashes, name-based ledger transaction ids): {@link
 * io.kopek.digest.Digests} hands out fresh digests of one algorithm without looking it up again.
 */
package io.kopek.digest;
