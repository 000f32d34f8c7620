package io.kopek.fiscal;

import io.kopek.calendar.BusinessCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What the pusher and the status poller share: claiming, pipelined calls to the operator, backoff. */
@Component
class Workers {

    enum Outcome {
        SUCCEEDED,
        LATER,
        STOPPED
    }

    private final ReceiptStore store;
    private final FiscalProperties properties;
    private final BusinessCalendar calendar;
    private final List<FiscalOperator> operators;
    final TransactionTemplate transaction;

    Workers(
            ReceiptStore store,
            FiscalProperties properties,
            BusinessCalendar calendar,
            List<FiscalOperator> operators,
            PlatformTransactionManager transactions) {
        this.store = store;
        this.properties = properties;
        this.calendar = calendar;
        this.operators = operators;
        this.transaction = new TransactionTemplate(transactions);
    }

    FiscalOperator operator() {
        return operators.stream()
                .filter(o -> o.id().equals(properties.operator()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no fiscal operator '" + properties.operator()
                        + "' is configured (kopek.fiscal.operator); have "
                        + operators.stream().map(FiscalOperator::id).toList()));
    }

    Instant now() {
        return calendar.now();
    }

    /**
     * Claims chunks of due receipts in {@code state} until none are left and handles them with up to
     * {@code kopek.fiscal.concurrency} calls in flight, pipelined: the next chunk is claimed as soon as the last
     * receipt of the previous one has a slot, not when the whole chunk has been answered. Takes at most
     * {@code limit} receipts, so that a caller (a batch step) can record its progress between passes.
     */
    FiscalPass drain(ReceiptState state, boolean countAttempt, int limit, Function<Receipt, Outcome> handle) {
        Semaphore inFlight = new Semaphore(Math.max(1, properties.concurrency()));
        Set<Long> handled = new HashSet<>(); // each receipt at most once per pass, even when due again at once
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            while (handled.size() < limit) {
                Instant now = now();
                Long[] except = handled.toArray(Long[]::new);
                int size = Math.min(properties.batchSize(), limit - handled.size());
                List<Receipt> chunk = transaction.execute(
                        s -> store.claim(state, now, now.plus(properties.lease()), size, countAttempt, except));
                if (chunk == null || chunk.isEmpty()) {
                    break;
                }
                for (Receipt r : chunk) {
                    handled.add(r.id());
                    inFlight.acquireUninterruptibly();
                    outcomes.add(executor.submit(() -> {
                        try {
                            return handle.apply(r);
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
        }
        int succeeded = 0;
        int later = 0;
        int stopped = 0;
        for (Future<Outcome> f : outcomes) {
            Outcome outcome;
            try {
                outcome = f.get();
            } catch (Exception e) {
                outcome = Outcome.LATER; // the lease ends and the receipt is taken again
            }
            switch (outcome) {
                case SUCCEEDED -> succeeded++;
                case LATER -> later++;
                case STOPPED -> stopped++;
            }
        }
        return new FiscalPass(outcomes.size(), succeeded, later, stopped);
    }

    /**
     * Exponential backoff with equal jitter: the {@code attempt}-th retry waits between half and all of
     * {@code initial × 2^(attempt−1)}, at most {@code max}.
     */
    static Duration backoff(int attempt, Duration initial, Duration max) {
        long ceiling = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        ceiling = Math.min(Math.max(ceiling, 1), max.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    Duration retryDelay(int attempt) {
        return backoff(attempt, properties.retryInitial(), properties.retryMax());
    }
}
