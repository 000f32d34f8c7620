package io.kopek.scheduler;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Job runs as they change, to every listener of {@code GET /api/v1/job-runs/events}: one poller per process asks the
 * job repository every {@code poll-interval} which runs are new, still running or just ended ({@link Jobs#states},
 * one indexed query whatever the number of listeners) and sends each run whose status or counts changed as an
 * event {@code run} with the run's JSON. It polls only while someone listens. The database is the source, so a
 * listener sees the runs of every process, not only this one's. Each connection lasts {@code connection}, gets a
 * heartbeat comment every {@code heartbeat}, and is dropped when a send fails (the client went away); at most
 * {@code max-listeners} listen at once (503 beyond).
 */
@Component
@ConditionalOnRole(Role.API)
@EnableConfigurationProperties(JobRunEventsProperties.class)
class JobRunEvents {

    private static final Logger log = LoggerFactory.getLogger(JobRunEvents.class);

    /** One connection, and the job whose runs it wants (null: all). */
    private record Listener(SseEmitter emitter, String job) {
        boolean wants(String name) {
            return job == null || job.equals(name);
        }
    }

    private final Jobs jobs;
    private final JobRunEventsProperties properties;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("job-run-events").daemon().factory());

    /** Guarded by {@code this}: the poller's task while someone listens. */
    private ScheduledFuture<?> polling;

    // Touched by the poller's one thread only.
    private long lastId;
    private Map<Long, Jobs.RunState> running = Map.of();
    private long lastHeartbeat;

    JobRunEvents(Jobs jobs, JobRunEventsProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    /** A new listener's connection; the poller starts with the first. */
    synchronized SseEmitter listen(String job) {
        if (listeners.size() >= properties.maxListeners()) {
            throw KopekException.unavailable(
                    "too-many-listeners",
                    "at most " + properties.maxListeners() + " may follow the job runs at once; try again later");
        }
        SseEmitter emitter = new SseEmitter(properties.connection().toMillis());
        Listener listener = new Listener(emitter, job);
        emitter.onCompletion(() -> listeners.remove(listener));
        emitter.onTimeout(() -> {
            listeners.remove(listener);
            emitter.complete();
        });
        emitter.onError(e -> listeners.remove(listener));
        try {
            // sent at once, so the client sees the stream open; the reconnect delay is for its EventSource
            emitter.send(SseEmitter.event().reconnectTime(2000).comment("listening"));
        } catch (IOException e) {
            emitter.completeWithError(e);
            return emitter;
        }
        listeners.add(listener);
        log.debug("job run events: a listener came ({} now)", listeners.size());
        if (polling == null) {
            poller.execute(this::baseline);
            long every = properties.pollInterval().toMillis();
            polling = poller.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        }
        return emitter;
    }

    /** How many listen now. */
    int listeners() {
        return listeners.size();
    }

    /** What is known when the first listener comes: the runs going on, and the newest run's id. */
    private void baseline() {
        try {
            lastId = jobs.lastRunId();
            Map<Long, Jobs.RunState> now = new HashMap<>();
            jobs.states(lastId, Set.of()).forEach(s -> now.put(s.id(), s));
            running = now;
            lastHeartbeat = System.nanoTime();
        } catch (RuntimeException e) {
            log.warn("job run events: cannot read the runs going on", e);
        }
    }

    private void tick() {
        try {
            if (stopWhenNobodyListens()) {
                return;
            }
            poll();
            if (System.nanoTime() - lastHeartbeat >= properties.heartbeat().toNanos()) {
                lastHeartbeat = System.nanoTime();
                for (Listener l : listeners) {
                    send(l, SseEmitter.event().comment("heartbeat"));
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again: a database that is away for a moment must not end the poller
            log.warn("job run events: polling failed", e);
        }
    }

    private synchronized boolean stopWhenNobodyListens() {
        if (!listeners.isEmpty()) {
            return false;
        }
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
        running = Map.of();
        return true;
    }

    /** Sends each run whose state differs from the last seen; remembers those still running. */
    private void poll() {
        List<Jobs.RunState> changed = new ArrayList<>();
        Map<Long, Jobs.RunState> stillRunning = new HashMap<>();
        for (Jobs.RunState state : jobs.states(lastId, running.keySet())) {
            lastId = Math.max(lastId, state.id());
            if (!state.equals(running.get(state.id()))) {
                changed.add(state);
            }
            if (state.running()) {
                stillRunning.put(state.id(), state);
            }
        }
        running = stillRunning;
        for (Jobs.RunState state : changed) {
            if (listeners.stream().noneMatch(l -> l.wants(state.job()))) {
                continue;
            }
            Optional<JobRun> run = jobs.find(state.id());
            run.ifPresent(r -> {
                for (Listener l : listeners) {
                    if (l.wants(r.job())) {
                        send(
                                l,
                                SseEmitter.event()
                                        .name("run")
                                        .id(Long.toString(r.id()))
                                        .data(r, MediaType.APPLICATION_JSON));
                    }
                }
            });
        }
    }

    /** A send that fails means the client went away: its connection is dropped. */
    private void send(Listener listener, SseEmitter.SseEventBuilder event) {
        try {
            listener.emitter().send(event);
        } catch (IOException | IllegalStateException e) {
            listeners.remove(listener);
            log.debug("job run events: a listener went away ({} left): {}", listeners.size(), e.toString());
            try {
                listener.emitter().complete();
            } catch (RuntimeException ignored) {
                // already completed by the container
            }
        }
    }

    /**
     * Ends every connection when the application begins to close: before the web server's graceful shutdown, which
     * would otherwise wait its whole timeout for these never-ending answers.
     */
    @EventListener(ContextClosedEvent.class)
    @PreDestroy
    void close() {
        poller.shutdownNow();
        for (Listener l : listeners) {
            try {
                l.emitter().complete();
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }
        listeners.clear();
    }
}
