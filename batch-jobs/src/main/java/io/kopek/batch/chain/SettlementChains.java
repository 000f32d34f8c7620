package io.kopek.batch.chain;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.ingest.IngestProperties;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * The daily settlement chain of each provider's business day: intake → import → reconciliation → reports, each
 * step when the one before it ended, a failed step ending the chain with its reason ({@link Chain}). Chains start
 * from the {@code dailyChain} schedule (yesterday, every provider), by hand, or by a catch-up of the missed days
 * (no completed chain) in date order. A provider's day runs at most once at a time across every process (a running
 * chain is unique per provider and day in the database), and a catch-up or the schedule never runs a day that has a
 * completed chain. Reading works in any process; chains run in processes with the batch role.
 */
@Service
@EnableConfigurationProperties(ChainProperties.class)
public class SettlementChains {

    private static final Logger log = LoggerFactory.getLogger(SettlementChains.class);
    private static final Duration WATCH = Duration.ofMillis(200);

    private final ChainStore store;
    private final ObjectProvider<ChainRunner> runner;
    private final IngestProperties ingest;
    private final BusinessCalendar calendar;
    private final ChainProperties properties;

    SettlementChains(
            ChainStore store,
            ObjectProvider<ChainRunner> runner,
            IngestProperties ingest,
            BusinessCalendar calendar,
            ChainProperties properties) {
        this.store = store;
        this.runner = runner;
        this.ingest = ingest;
        this.calendar = calendar;
        this.properties = properties;
    }

    /** The providers with a settlement chain: those with an SFTP source. */
    public Set<String> providers() {
        return new TreeSet<>(ingest.sources().keySet());
    }

    /**
     * Starts a new attempt at a provider's day and answers at once with it, running; refused while another attempt
     * of the day runs. A completed day may be run again (a corrected registry).
     */
    public Chain start(String provider, LocalDate day, Chain.Trigger trigger) {
        Chain chain = claim(provider, day, trigger);
        Thread.ofVirtual().name("chain-" + chain.id()).start(() -> runner().execute(chain));
        return chain;
    }

    /** The same, waiting for the chain to end (the schedule, tests). */
    public Chain run(String provider, LocalDate day, Chain.Trigger trigger) {
        return runner().execute(claim(provider, day, trigger));
    }

    /**
     * What the {@code dailyChain} schedule does: yesterday's chain of every provider, side by side, each unless it
     * completed or runs already. Answers the chains it ran, as they ended.
     */
    public List<Chain> runYesterday() {
        LocalDate yesterday = calendar.today().minusDays(1);
        ChainRunner runner = runner();
        List<Thread> threads = new ArrayList<>();
        List<Chain> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String provider : providers()) {
            threads.add(Thread.ofVirtual().name("chain-" + provider).start(() -> {
                try {
                    if (runner.claim(provider, yesterday, Chain.Trigger.SCHEDULE, true)
                            instanceof ChainStore.Claim.Claimed claimed) {
                        ran.add(runner.execute(claimed.chain()));
                    } else {
                        log.info("{} {}: its chain completed or runs already", provider, yesterday);
                    }
                } catch (RuntimeException e) {
                    log.warn("{} {}: the daily chain could not start", provider, yesterday, e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(ran);
    }

    /**
     * The missed business days of a provider (all when null), in date order: from {@code kopek.batch.chain.since}
     * (else the provider's earliest chain) to yesterday, at most {@code max-days} back, each without a completed
     * chain and none running.
     */
    public List<MissedDay> missed(String provider) {
        LocalDate yesterday = calendar.today().minusDays(1);
        LocalDate bound = yesterday.minusDays(properties.maxDays() - 1L);
        List<MissedDay> missed = new ArrayList<>();
        for (String p : providersOrOne(provider)) {
            Optional<LocalDate> start = Optional.ofNullable(properties.since()).or(() -> store.earliestDay(p));
            if (start.isEmpty()) {
                continue;
            }
            LocalDate from = start.get().isBefore(bound) ? bound : start.get();
            if (from.isAfter(yesterday)) {
                continue;
            }
            Set<LocalDate> covered = store.daysCompletedOrRunning(p, from, yesterday);
            from.datesUntil(yesterday.plusDays(1))
                    .filter(d -> !covered.contains(d))
                    .forEach(d -> missed.add(MissedDay.of(p, d)));
        }
        missed.sort(Comparator.comparing(MissedDay::businessDate).thenComparing(MissedDay::provider));
        return missed;
    }

    /**
     * Runs the missed days of a provider (all when null) one after another in date order, in the background, and
     * answers them. A day another process runs meanwhile is waited for and not run again; a day completed meanwhile
     * is passed over; a day that fails does not stop the next (each says why in its chain).
     */
    public List<MissedDay> catchUp(String provider) {
        ChainRunner runner = runner();
        List<MissedDay> missed = missed(provider);
        for (String p : providersOrOne(provider)) {
            List<LocalDate> days = missed.stream()
                    .filter(m -> m.provider().equals(p))
                    .map(MissedDay::businessDate)
                    .toList();
            if (!days.isEmpty()) {
                Thread.ofVirtual().name("catch-up-" + p).start(() -> catchUp(runner, p, days));
            }
        }
        return missed;
    }

    /** The same on the calling thread (tests; a second context). */
    List<Chain> catchUpHere(String provider, List<LocalDate> days) {
        return catchUp(runner(), provider, days);
    }

    private List<Chain> catchUp(ChainRunner runner, String provider, List<LocalDate> days) {
        List<Chain> ran = new ArrayList<>();
        for (LocalDate day : days) {
            try {
                switch (runner.claim(provider, day, Chain.Trigger.CATCH_UP, true)) {
                    case ChainStore.Claim.Claimed claimed -> ran.add(runner.execute(claimed.chain()));
                    case ChainStore.Claim.AlreadyRunning running -> {
                        log.info("{} {}: chain {} runs it already; waited for", provider, day, running.chainId());
                        awaitEnd(running.chainId(), properties.stepTimeout().multipliedBy(4));
                    }
                    case ChainStore.Claim.AlreadyCompleted done ->
                        log.info("{} {}: completed meanwhile by chain {}", provider, day, done.chainId());
                }
            } catch (RuntimeException e) {
                log.warn("{} {}: the catch-up could not run the day", provider, day, e);
            }
        }
        return ran;
    }

    public Optional<Chain> find(long id) {
        return store.get(id);
    }

    public Chain get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("chain", id));
    }

    /** Chains newest first, below the cursor id (0: from the newest), of a provider or all, by business day. */
    public List<Chain> list(String provider, LocalDate from, LocalDate to, long beforeId, int limit) {
        return store.list(provider, from, to, beforeId, limit);
    }

    /** Waits until the chain has ended (or the time is up) and answers it as it is then. */
    public Chain awaitEnd(long id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Chain chain = get(id);
            if (!chain.running() || System.nanoTime() > deadline) {
                return chain;
            }
            ChainRunner.sleep(WATCH);
        }
    }

    private Chain claim(String provider, LocalDate day, Chain.Trigger trigger) {
        ChainRunner runner = runner();
        known(provider);
        // Up to tomorrow: a provider east of the business zone (Acme's Yekaterinburg) may settle its day while ours
        // is still the day before; no provider has a registry of a day further ahead.
        if (day == null || day.isAfter(calendar.today().plusDays(1))) {
            throw KopekException.malformed("validation", "business_date: a day up to tomorrow, not " + day);
        }
        return switch (runner.claim(provider, day, trigger, false)) {
            case ChainStore.Claim.Claimed claimed -> claimed.chain();
            case ChainStore.Claim.AlreadyRunning running ->
                throw KopekException.conflict(
                        "chain-running", "chain " + running.chainId() + " of " + provider + " " + day + " is running");
            case ChainStore.Claim.AlreadyCompleted done -> throw new IllegalStateException("not asked");
        };
    }

    private List<String> providersOrOne(String provider) {
        if (provider == null || provider.isBlank()) {
            return List.copyOf(providers());
        }
        known(provider);
        return List.of(provider);
    }

    private void known(String provider) {
        if (!providers().contains(provider)) {
            throw KopekException.notFound("provider", provider);
        }
    }

    private ChainRunner runner() {
        ChainRunner r = runner.getIfAvailable();
        if (r == null) {
            throw KopekException.unavailable(
                    "chains-not-here", "settlement chains run in processes with the batch role (kopek.roles)");
        }
        return r;
    }
}
