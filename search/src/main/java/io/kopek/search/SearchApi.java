package io.kopek.search;

import io.kopek.api.Allowed;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import io.kopek.api.Idempotent;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.kopek.outbox.OutboxConsumer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' view of the search index: what each alias points at and holds, how far the indexer is behind the
 * outbox, and the rebuild of a kind from PostgreSQL (run by a batch process; who asked and why is in the answer and
 * stays with the run).
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/search")
class SearchApi {

    private final ObjectProvider<SearchIndex> index;
    private final ObjectProvider<Reindex> reindex;
    private final OutboxConsumer outbox;
    private final DriftResults drift;

    SearchApi(
            ObjectProvider<SearchIndex> index,
            ObjectProvider<Reindex> reindex,
            OutboxConsumer outbox,
            DriftResults drift) {
        this.index = index;
        this.reindex = reindex;
        this.outbox = outbox;
        this.drift = drift;
    }

    /** Kinds to rebuild ({@code payments}, ...; none or absent for all) and why. */
    @Schema(name = "SearchReindexRequest")
    record ReindexRequest(List<String> kinds, String reason) {}

    @Schema(name = "SearchIndexStatus")
    record IndexStatus(String kind, String alias, String index, Long documents) {}

    @Schema(name = "SearchStatus")
    record Status(
            boolean enabled,
            boolean reachable,
            List<IndexStatus> indices,
            long consumerPosition,
            long latestEvent,
            long lag,
            List<Reindex.Run> reindexes) {}

    @Operation(summary = "Rebuild search indices from PostgreSQL into new generations and swap their aliases")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/reindex")
    @ResponseStatus(HttpStatus.ACCEPTED)
    List<Reindex.Run> reindex(
            @RequestBody(required = false) ReindexRequest body, @AuthenticationPrincipal ApiPrincipal caller) {
        Reindex runs = reindex.getIfAvailable();
        if (runs == null) {
            throw KopekException.conflict("search-disabled", "the search index is off (kopek.search.enabled)");
        }
        List<Kind> kinds = new ArrayList<>();
        if (body != null && body.kinds() != null) {
            for (String kind : body.kinds()) {
                try {
                    kinds.add(Kind.of(kind));
                } catch (IllegalArgumentException e) {
                    throw KopekException.invalid("validation", "kinds: " + e.getMessage());
                }
            }
        }
        String reason = body == null || body.reason() == null || body.reason().isBlank()
                ? null
                : body.reason().strip();
        return runs.request(kinds, caller.actor(), reason);
    }

    /** The last drift check; {@code checkedAt} null when none ran yet. */
    @Schema(name = "SearchDrift")
    record Drift(Instant checkedAt, LocalDate from, LocalDate to, List<DriftFound.Difference> differences) {}

    @Operation(summary = "The last drift check: each index's days whose documents or amounts differ from PostgreSQL")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/drift")
    Drift drift() {
        return this.drift
                .last()
                .map(r -> new Drift(r.checkedAt(), r.from(), r.to(), r.differences()))
                .orElseGet(() -> new Drift(null, null, null, List.of()));
    }

    @Operation(summary = "The search indices: each alias's index and documents, the indexer's lag, recent reindexes")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/status")
    Status status() {
        OutboxConsumer.Position position = outbox.whereIs(SearchIndexer.CONSUMER);
        SearchIndex engine = index.getIfAvailable();
        Reindex runs = reindex.getIfAvailable();
        List<Reindex.Run> recent = runs == null ? List.of() : runs.recent(10);
        if (engine == null) {
            return new Status(
                    false,
                    false,
                    List.of(),
                    position.lastEventId(),
                    position.latestEventId(),
                    position.behind(),
                    recent);
        }
        List<IndexStatus> indices = new ArrayList<>();
        boolean reachable = engine.healthy();
        if (reachable) {
            for (Kind kind : Kind.values()) {
                var write = engine.writeIndex(kind);
                indices.add(new IndexStatus(
                        kind.code(),
                        kind.alias(),
                        write.orElse(null),
                        write.isPresent() ? engine.count(kind.alias()) : null));
            }
        }
        return new Status(
                true, reachable, indices, position.lastEventId(), position.latestEventId(), position.behind(), recent);
    }
}
