package io.kopek.sandbox.registry;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What every simulator's registry shares: whose it is, its zone, what its simulator settled and at what fee.
 * Subclasses write the provider's format.
 */
public abstract class SimulatorRegistry implements SettlementRegistry {

    private final String provider;
    private final ZoneId zone;
    private final Settlements settlements;
    private final Commission commission;

    protected SimulatorRegistry(String provider, ZoneId zone, Settlements settlements, Commission commission) {
        this.provider = provider;
        this.zone = zone;
        this.settlements = settlements;
        this.commission = commission;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public List<Settled> settledOn(LocalDate day) {
        return settlements.on(day, zone);
    }

    @Override
    public void commissionRate(int basisPoints) {
        commission.rate(basisPoints);
    }
}
