/**
 * The daily settlement chain per provider and business day (intake → import → reconciliation → reports) and the
 * catch-up of missed days: {@link io.kopek.batch.chain.SettlementChains}. Published to other modules (the
 * scheduler's API) as the batch module's named interface {@code chain}.
 */
@org.springframework.modulith.NamedInterface("chain")
package io.kopek.batch.chain;
