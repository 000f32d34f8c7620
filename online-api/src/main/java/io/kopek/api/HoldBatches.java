package io.kopek.api;

import io.kopek.billing.Holds;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The group commit of the two requests a merchant's backend sends most (issue 20): concurrent requests to place and
 * to capture holds are run together, in one database transaction with one commit, as TigerBeetle batches its
 * transfers. A request's thread queues its request and waits; a committer thread takes what has queued (at most
 * {@code max-items}) and runs it as a batch; at low load a batch is one request, at high load the requests that
 * arrived while the previous batch ran. Both kinds share one queue: a client places a hold and then captures it, so
 * about half the requests waiting at any moment are of each kind, and one queue makes larger batches than a queue
 * per kind (3.7-3.8 requests against 2.3-2.7 at 8 clients, bench/README.md). With more than one committer
 * ({@code committers}), batches run side by side on as many database connections, but a batch beside a running one
 * starts only once it would hold {@code overlap-min-items} requests: a batch's database work per request falls as it
 * grows, and the running batch's end starts the next anyway, so that at low load nothing waits longer than one
 * batch. Per batch, in one transaction: the work, in two round trips ({@link Holds#placeAndCaptureEach}), where
 * each item's refusal is its own and undoes nothing of the others'; then the idempotency records of the requests
 * that were done, with their answers, in one statement, and the commit with it in the same round trip
 * ({@link Idempotency#keep}; the commit on its own when the transaction has work to do before it). Each request's effect and its stored answer commit together, or neither does, and a
 * refused request leaves nothing, as in {@link Idempotency}'s protocol for a single request. A request whose key an
 * earlier request's record holds is found out by that statement: the batch is rolled back and run again without it,
 * and it answers as the earlier one did.
 *
 * <p>Two requests of one batch never share an idempotency key, nor two placements an invoice (a hold is checked
 * against its invoice as locked), nor two captures a hold: the later waits for the next batch. A batch that fails
 * as a whole (a deadlock, a lost connection, a fault in one item that is no refusal) changed nothing, and its
 * requests are run again one by one, so that only the faulty one fails.
 *
 * <p>A batch of several runs first with no subtransaction per item ({@link Holds.RefusalScope#BATCH}): in the usual
 * batch nothing is refused, and a subtransaction per item was a twentieth of the database's work (migration
 * {@code V6.21}). A refusal in the database then rolls the batch back, and it runs again with each item in its own
 * subtransaction ({@link Holds.RefusalScope#ITEM}), as do the next {@code item-scope-after-a-refusal} batches: a
 * client whose requests are refused one after another costs each batch its work twice at most once in so many.
 * Refusals found before the database (an invoice's rules) are the items' own either way.
 */
@Component
@ConditionalOnRole(Role.API)
class HoldBatches {

    private static final Logger log = LoggerFactory.getLogger(HoldBatches.class);

    /** What became of a request of a batch. */
    sealed interface Answer {
        /** Done and committed, its answer kept in its idempotency record. */
        record Done(int status, byte[] body) implements Answer {}

        /** Refused as the single request would have been; it left nothing. */
        record Refused(RuntimeException refusal) implements Answer {}

        /** An earlier request with its key came first: this one answers as that one did. */
        record Earlier() implements Answer {}
    }

    /** A request waiting for its batch: its caller, key, hash and path, and the work it asks for. */
    record Request<T extends Holds.Item>(ApiPrincipal caller, String key, byte[] hash, String path, T work) {}

    private final ObjectProvider<Holds> holds;
    private final Idempotency idempotency;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final DistributionSummary sizes;
    private final int maxItems;
    private final int overlapMinItems;
    private final int itemScopeAfterARefusal;
    /** Batches to run with {@link Holds.RefusalScope#ITEM} before trying {@link Holds.RefusalScope#BATCH} again. */
    private final AtomicInteger itemScoped = new AtomicInteger();

    private final Counter refusedBatches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final List<Thread> committers = new ArrayList<>();
    private boolean stopped;
    private int running;

    HoldBatches(
            ObjectProvider<Holds> holds,
            Idempotency idempotency,
            TransactionTemplate transactions,
            JsonMapper json,
            ObjectProvider<MeterRegistry> meterRegistry,
            @Value("${kopek.api.group-commit.committers:1}") int committers,
            @Value("${kopek.api.group-commit.max-items:32}") int maxItems,
            @Value("${kopek.api.group-commit.overlap-min-items:4}") int overlapMinItems,
            @Value("${kopek.api.group-commit.item-scope-after-a-refusal:16}") int itemScopeAfterARefusal) {
        this.holds = holds;
        this.idempotency = idempotency;
        this.transactions = transactions;
        this.json = json;
        this.maxItems = maxItems;
        this.overlapMinItems = overlapMinItems;
        this.itemScopeAfterARefusal = itemScopeAfterARefusal;
        MeterRegistry meters = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
        this.sizes = DistributionSummary.builder("kopek.api.group.commit.requests")
                .description("Requests per batch of the API's group commit of holds and captures")
                .register(meters);
        this.refusedBatches = Counter.builder("kopek.api.group.commit.refused.batches")
                .description("Batches of the API's group commit run again, item by item, after a refusal in the"
                        + " database")
                .register(meters);
        Gauge.builder("kopek.api.group.commit.queued", this, HoldBatches::waiting)
                .description("Requests waiting for a batch of the API's group commit of holds and captures")
                .register(meters);
        for (int i = 0; i < committers; i++) {
            this.committers.add(
                    Thread.ofPlatform().daemon().name("kopek-hold-batches-" + i).start(this::commitLoop));
        }
    }

    /** Places a hold in the next batch; waits for the batch's commit. */
    Answer place(Request<Holds.Placement> request) {
        return submit(request);
    }

    /** Captures a hold in the next batch; waits for the batch's commit. */
    Answer capture(Request<Holds.Capture> request) {
        return submit(request);
    }

    @PreDestroy
    void stop() {
        lock.lock();
        try {
            stopped = true;
            queued.signalAll();
        } finally {
            lock.unlock();
        }
        committers.forEach(Thread::interrupt);
    }

    private Answer submit(Request<?> request) {
        Waiting waiting = new Waiting(request, new CompletableFuture<>());
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("the API is stopping; send the request again");
            }
            queue.add(waiting);
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            return waiting.answer().join();
        } catch (CompletionException e) {
            // the batch's own failure, as this request alone met it: thrown on the request's thread
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** How many requests wait for a batch (the gauge's reading: the queue is read under its lock). */
    private int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void commitLoop() {
        while (true) {
            List<Waiting> batch;
            try {
                batch = next();
            } catch (InterruptedException e) {
                batch = null;
            }
            if (batch == null) {
                failQueued();
                return;
            }
            try {
                run(batch);
            } finally {
                lock.lock();
                try {
                    running--;
                    queued.signalAll(); // a committer gathering beside this batch may start now
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * The next batch, waiting for one: the queue's requests in order, but for any whose key, placement's invoice
     * or capture's hold is the same as one already taken's (it waits for the next batch). Null once stopped.
     */
    private List<Waiting> next() throws InterruptedException {
        lock.lock();
        try {
            // beside a running batch, a batch starts only once it would hold overlapMinItems requests: a batch's
            // database work per request falls as it grows, and the running one's end starts the next anyway
            while (!stopped && (queue.isEmpty() || (running > 0 && queue.size() < overlapMinItems))) {
                queued.await();
            }
            if (stopped) {
                return null;
            }
            List<Waiting> batch = new ArrayList<>();
            Set<Long> invoices = new HashSet<>();
            Set<Long> holds = new HashSet<>();
            Set<String> keys = new HashSet<>();
            var it = queue.iterator();
            while (it.hasNext() && batch.size() < maxItems) {
                Waiting w = it.next();
                Request<?> r = w.request();
                String key = Idempotency.requestKey(r.caller(), r.key());
                if (keys.contains(key)) {
                    continue;
                }
                boolean claimed = switch (r.work()) {
                    case Holds.Placement p -> invoices.add(p.invoiceId());
                    case Holds.Capture c -> holds.add(c.holdId());
                };
                if (claimed) {
                    keys.add(key);
                    batch.add(w);
                    it.remove();
                }
            }
            running++;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void failQueued() {
        lock.lock();
        try {
            queue.forEach(w -> w.answer()
                    .completeExceptionally(new IllegalStateException("the API is stopping; send the request again")));
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Waiting> batch) {
        try {
            List<Answer> done = answered(batch);
            sizes.record(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(done.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().answer().completeExceptionally(e);
                return;
            }
            log.warn(
                    "a batch of {} hold requests failed as a whole; running them one by one: {}",
                    batch.size(),
                    e.toString());
            batch.forEach(w -> run(List.of(w)));
        } catch (Error e) {
            batch.forEach(w -> w.answer().completeExceptionally(e));
            throw e;
        }
    }

    /**
     * The batch's answers, committed. A request whose key an earlier request's record holds is found out as the
     * records are written, last: the batch is then rolled back and run again without it, which answers as the
     * earlier one did. Rare (a client's retry of a request that was done), so paid for only when it happens.
     */
    private List<Answer> answered(List<Waiting> batch) {
        Answer[] answers = new Answer[batch.size()];
        Holds.RefusalScope scope = batch.size() > 1 && itemScoped.getAndUpdate(n -> Math.max(0, n - 1)) == 0
                ? Holds.RefusalScope.BATCH
                : Holds.RefusalScope.ITEM;
        while (true) {
            List<Integer> taking = new ArrayList<>();
            for (int i = 0; i < answers.length; i++) {
                if (answers[i] == null) {
                    taking.add(i);
                }
            }
            if (taking.isEmpty()) {
                return List.of(answers);
            }
            Answer[] attempt = answers.clone();
            Holds.RefusalScope attemptScope = scope;
            // the attempt's records, as written, and the requests they are of
            List<Idempotency.Answered> records = new ArrayList<>();
            List<Integer> recorded = new ArrayList<>();
            Boolean committed;
            try {
                committed = transactions.execute(tx -> {
                    if (inTransaction(batch, taking, attempt, attemptScope, records, recorded)) {
                        return true;
                    }
                    tx.setRollbackOnly();
                    return false;
                });
            } catch (Holds.BatchRefusedException e) {
                // rolled back: run again with each item's refusal its own, and so the next few batches
                refusedBatches.increment();
                itemScoped.set(itemScopeAfterARefusal);
                scope = Holds.RefusalScope.ITEM;
                continue;
            }
            if (Boolean.TRUE.equals(committed)) {
                return List.of(attempt);
            }
            // a taken key failed the records' statement (Idempotency#keep): which, read now that the batch is rolled
            // back; the rest run again, their work undone with the roll-back
            boolean[] earlier = idempotency.earlierOf(records);
            for (int k = 0; k < earlier.length; k++) {
                if (earlier[k]) {
                    answers[recorded.get(k)] = new Answer.Earlier();
                }
            }
        }
    }

    /**
     * The work of the requests taken, and their records (in {@code records}, of the requests at {@code recorded});
     * false when a record's key was taken by an earlier request. With nothing for the transaction to do before its
     * commit, the records and the commit go in one round trip ({@link Idempotency#keep}): true then means committed.
     */
    private boolean inTransaction(
            List<Waiting> batch,
            List<Integer> taking,
            Answer[] answers,
            Holds.RefusalScope scope,
            List<Idempotency.Answered> records,
            List<Integer> recorded) {
        List<Integer> placing = new ArrayList<>();
        List<Integer> capturing = new ArrayList<>();
        List<Holds.Placement> placements = new ArrayList<>();
        List<Holds.Capture> captures = new ArrayList<>();
        for (int i : taking) {
            switch (batch.get(i).request().work()) {
                case Holds.Placement p -> {
                    placing.add(i);
                    placements.add(p);
                }
                case Holds.Capture c -> {
                    capturing.add(i);
                    captures.add(c);
                }
            }
        }
        Holds.Outcomes outcomes = holds.getObject().placeAndCaptureEach(placements, captures, scope);
        answer(batch, placing, outcomes.placed(), HttpStatus.CREATED, answers, records, recorded);
        answer(batch, capturing, outcomes.captured(), HttpStatus.OK, answers, records, recorded);
        return records.isEmpty() || idempotency.keep(records, "POST", nothingBeforeCommit());
    }

    /**
     * Whether the transaction has no work of its own to do before its commit: no synchronization registered (the
     * outbox's events written in Java, an account opened for the first time), so that it may commit with its last
     * statement.
     */
    private static boolean nothingBeforeCommit() {
        return !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.getSynchronizations().isEmpty();
    }

    /** The answers of the requests at {@code at} from their outcomes; the done ones' records to keep. */
    private void answer(
            List<Waiting> batch,
            List<Integer> at,
            List<Holds.Outcome> outcomes,
            HttpStatus status,
            Answer[] answers,
            List<Idempotency.Answered> done,
            List<Integer> doneAt) {
        for (int k = 0; k < at.size(); k++) {
            int i = at.get(k);
            Holds.Outcome outcome = outcomes.get(k);
            if (outcome.refusal() != null) {
                answers[i] = new Answer.Refused(outcome.refusal()); // a refused request leaves no record
            } else {
                Request<?> r = batch.get(i).request();
                byte[] body = HoldAnswers.of(json, outcome.hold());
                answers[i] = new Answer.Done(status.value(), body);
                done.add(new Idempotency.Answered(r.caller(), r.key(), r.hash(), r.path(), status.value(), body));
                doneAt.add(i);
            }
        }
    }

    private record Waiting(Request<?> request, CompletableFuture<Answer> answer) {}
}
