package io.kopek.search;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Documents gathered into bulk requests of {@code size}: a full request is sent at once (so a reconciliation's many
 * discrepancies stream through in chunks), the rest by {@link #flush()}. Each document carries its external version;
 * to an alias ({@code index} null: each kind's own) or to one index (a generation being built).
 */
public final class Bulk {

    private final SearchIndex engine;
    private final String index;
    private final int size;
    private final LongConsumer written;
    private final List<BulkOperation> operations = new ArrayList<>();
    private long sent;

    Bulk(SearchIndex engine, String index, int size, LongConsumer written) {
        this.engine = engine;
        this.index = index;
        this.size = Math.max(1, size);
        this.written = written;
    }

    public void add(Document document, long version) {
        String target = index != null ? index : document.kind().alias();
        operations.add(SearchIndex.indexOperation(target, document, version));
        if (operations.size() >= size) {
            flush();
        }
    }

    public void flush() {
        if (operations.isEmpty()) {
            return;
        }
        int done = engine.send(List.copyOf(operations), index == null);
        operations.clear();
        sent += done;
        written.accept(done);
    }

    /** Documents the engine wrote (not those it already had at that version or newer). */
    public long sent() {
        return sent;
    }
}
