package io.kopek.search;

import io.kopek.schedule.PassLoops;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The search loops of a batch process, on a virtual thread each: the indexer (which first applies the templates and
 * makes the aliases, again and again until the engine answers: an engine away at start-up stops nothing) and the
 * reindex runs. A loop runs again at once while it did something and sleeps {@code kopek.search.idle} otherwise; a
 * failing pass backs off, doubling up to {@code retry.max}, and tries again: the engine's absence delays the index,
 * never anything else.
 */
class SearchWorkers implements SmartLifecycle {

    private final SearchIndexer indexer;
    private final Reindex reindex;
    private final SearchIndex index;
    private final PassLoops loops;
    private volatile boolean prepared;

    SearchWorkers(SearchIndexer indexer, Reindex reindex, SearchIndex index, SearchProperties properties) {
        this.indexer = indexer;
        this.reindex = reindex;
        this.index = index;
        this.loops = new PassLoops(
                "search",
                properties.idle(),
                properties.retry().max(),
                LoggerFactory.getLogger(SearchWorkers.class),
                e -> e instanceof SearchUnavailableException);
    }

    @Override
    public synchronized void start() {
        loops.start("index", () -> {
            prepare();
            var pass = indexer.pass();
            return indexer.full(pass) ? pass.events() : 0;
        });
        loops.start("reindex", () -> {
            prepare();
            return reindex.runNext() ? 1 : 0;
        });
    }

    private void prepare() {
        if (!prepared) {
            synchronized (this) {
                if (!prepared) {
                    index.prepare();
                    prepared = true;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        loops.stop();
    }

    @Override
    public boolean isRunning() {
        return loops.isRunning();
    }
}
