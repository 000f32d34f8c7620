package io.kopek.notification.webhook;

import io.kopek.catalog.Catalog;
import io.kopek.errors.KopekException;
import io.kopek.notification.WebhookEndpointDisabled;
import io.kopek.outbox.Outbox;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook endpoints: registered with a URL the SSRF rule accepts and a fresh secret (kept sealed, shown once),
 * changed, rotated (the previous secret keeps signing for {@code rotation-overlap}), disabled and deleted.
 */
@Service
public class WebhookEndpoints {

    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z_]+\\.[a-z_]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final String COLUMNS = "endpoint_id, merchant_id, url, event_types, description, enabled,"
            + " disabled_reason, disabled_at, contact_email, failing_since, created_at, updated_at";

    /** What an admin registers. */
    public record Registration(
            Long merchantId, String url, List<String> eventTypes, String description, String contactEmail) {}

    /** What an admin changes; a null field is left as it is. */
    record Change(String url, List<String> eventTypes, String description, Boolean enabled, String contactEmail) {}

    /** An endpoint and its new secret, shown this once. */
    public record WithSecret(WebhookEndpoint endpoint, String secret) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Secrets secrets;
    private final Destinations destinations;
    private final WebhookProperties properties;
    private final Catalog catalog;
    private final Outbox outbox;

    WebhookEndpoints(
            JdbcClient jdbc,
            Clock clock,
            Secrets secrets,
            Destinations destinations,
            WebhookProperties properties,
            Catalog catalog,
            Outbox outbox) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.secrets = secrets;
        this.destinations = destinations;
        this.properties = properties;
        this.catalog = catalog;
        this.outbox = outbox;
    }

    @Transactional
    public WithSecret register(Registration registration) {
        String url = checkedUrl(registration.url());
        if (registration.merchantId() != null
                && catalog.merchant(registration.merchantId()).isEmpty()) {
            throw KopekException.invalid(
                    "unknown-merchant", "merchant " + registration.merchantId() + " does not exist");
        }
        String[] types = checkedTypes(registration.eventTypes());
        String email = checkedEmail(registration.contactEmail());
        String secret = Secrets.newSecret();
        byte[] sealed = secrets.seal(secret); // refused (503) before anything is written when no key is configured
        Instant now = clock.instant();
        long id = jdbc.sql("insert into webhook_endpoint (merchant_id, url, event_types, description, contact_email,"
                        + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?) returning endpoint_id")
                .params(
                        registration.merchantId(),
                        url,
                        types,
                        registration.description(),
                        email,
                        Timestamp.from(now),
                        Timestamp.from(now))
                .query(Long.class)
                .single();
        jdbc.sql("insert into webhook_secret (endpoint_id, encrypted, created_at) values (?, ?, ?)")
                .params(id, sealed, Timestamp.from(now))
                .update();
        return new WithSecret(get(id), secret);
    }

    @Transactional(readOnly = true)
    public WebhookEndpoint get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("webhook endpoint", id));
    }

    @Transactional(readOnly = true)
    public Optional<WebhookEndpoint> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from webhook_endpoint where endpoint_id = ?")
                .param(id)
                .query(WebhookEndpoints::endpoint)
                .optional();
    }

    /** Endpoints after {@code afterId} in id order, of one merchant when {@code merchantId} is given. */
    @Transactional(readOnly = true)
    public List<WebhookEndpoint> list(Long merchantId, long afterId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from webhook_endpoint where endpoint_id > ?"
                        + " and (?::bigint is null or merchant_id = ?) order by endpoint_id limit ?")
                .params(afterId, merchantId, merchantId, limit)
                .query(WebhookEndpoints::endpoint)
                .list();
    }

    @Transactional
    public WebhookEndpoint change(long id, Change change) {
        WebhookEndpoint endpoint = locked(id);
        String url = change.url() == null ? endpoint.url() : checkedUrl(change.url());
        String[] types = change.eventTypes() == null
                ? endpoint.eventTypes().toArray(String[]::new)
                : checkedTypes(change.eventTypes());
        String description = change.description() == null ? endpoint.description() : change.description();
        String email = change.contactEmail() == null ? endpoint.contactEmail() : checkedEmail(change.contactEmail());
        boolean enabled = change.enabled() == null ? endpoint.enabled() : change.enabled();
        Instant now = clock.instant();
        jdbc.sql("update webhook_endpoint set url = ?, event_types = ?, description = ?, contact_email = ?,"
                        + " enabled = ?,"
                        // enabling again starts afresh; disabling by hand says so
                        + " disabled_reason = case when ? then null when enabled then 'disabled by an admin'"
                        + " else disabled_reason end,"
                        + " disabled_at = case when ? then null when enabled then ? else disabled_at end,"
                        + " failing_since = case when ? and not enabled then null else failing_since end,"
                        + " updated_at = ? where endpoint_id = ?")
                .params(
                        url,
                        types,
                        description,
                        email,
                        enabled,
                        enabled,
                        enabled,
                        Timestamp.from(now),
                        enabled,
                        Timestamp.from(now),
                        id)
                .update();
        return get(id);
    }

    /** Deletes the endpoint with its secrets, messages and delivery log. */
    @Transactional
    public void delete(long id) {
        if (jdbc.sql("delete from webhook_endpoint where endpoint_id = ?")
                        .param(id)
                        .update()
                == 0) {
            throw KopekException.notFound("webhook endpoint", id);
        }
    }

    /**
     * A new secret, shown this once; the current one keeps signing until the overlap ends (both signatures are sent
     * meanwhile), and any older one stops now.
     */
    @Transactional
    public WithSecret rotate(long id) {
        locked(id);
        String secret = Secrets.newSecret();
        byte[] sealed = secrets.seal(secret);
        Instant now = clock.instant();
        jdbc.sql("update webhook_secret set expires_at = case when expires_at is null then ? else least(expires_at, ?)"
                        + " end where endpoint_id = ? and (expires_at is null or expires_at > ?)")
                .params(
                        Timestamp.from(now.plus(properties.rotationOverlap())),
                        Timestamp.from(now),
                        id,
                        Timestamp.from(now))
                .update();
        // keep only the secret that is still in its overlap besides the new one
        jdbc.sql("delete from webhook_secret where endpoint_id = ? and expires_at <= ?")
                .params(id, Timestamp.from(now))
                .update();
        jdbc.sql("insert into webhook_secret (endpoint_id, encrypted, created_at) values (?, ?, ?)")
                .params(id, sealed, Timestamp.from(now))
                .update();
        return new WithSecret(get(id), secret);
    }

    /** The secrets that sign now, the newest first: one, or two during a rotation's overlap. */
    List<String> signingSecrets(long endpointId, Instant now) {
        return jdbc.sql("select encrypted from webhook_secret where endpoint_id = ?"
                        + " and (expires_at is null or expires_at > ?) order by secret_id desc")
                .params(endpointId, Timestamp.from(now))
                .query((rs, n) -> secrets.open(rs.getBytes(1)))
                .list();
    }

    /**
     * Disables an endpoint that Kopek gave up on and tells its merchant and staff (the event
     * {@code webhook_endpoint.disabled}, in this transaction); nothing when it is disabled already.
     */
    @Transactional
    public boolean disable(long id, String reason) {
        Instant now = clock.instant();
        Optional<WebhookEndpoint> disabled = jdbc.sql("update webhook_endpoint set enabled = false,"
                        + " disabled_reason = ?, disabled_at = ?, updated_at = ? where endpoint_id = ? and enabled"
                        + " returning " + COLUMNS)
                .params(reason, Timestamp.from(now), Timestamp.from(now), id)
                .query(WebhookEndpoints::endpoint)
                .optional();
        disabled.ifPresent(e ->
                outbox.publish(new WebhookEndpointDisabled(e.id(), e.merchantId(), e.url(), reason, e.contactEmail())));
        return disabled.isPresent();
    }

    private WebhookEndpoint locked(long id) {
        return jdbc.sql("select " + COLUMNS + " from webhook_endpoint where endpoint_id = ? for update")
                .param(id)
                .query(WebhookEndpoints::endpoint)
                .optional()
                .orElseThrow(() -> KopekException.notFound("webhook endpoint", id));
    }

    private String checkedUrl(String url) {
        try {
            var uri = destinations.parse(url);
            destinations.check(uri);
            return uri.toString();
        } catch (Destinations.RefusedException e) {
            throw KopekException.invalid("webhook-url-refused", e.getMessage());
        }
    }

    private static String[] checkedTypes(List<String> types) {
        if (types == null) {
            return new String[0];
        }
        List<String> checked = new ArrayList<>();
        for (String type : types) {
            if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                throw KopekException.invalid(
                        "invalid-event-type", "event type " + type + " is not an event type (invoice.paid)");
            }
            if (!checked.contains(type)) {
                checked.add(type);
            }
        }
        return checked.toArray(String[]::new);
    }

    private static String checkedEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        if (!EMAIL.matcher(email.strip()).matches()) {
            throw KopekException.invalid("invalid-email", email + " is not an e-mail address");
        }
        return email.strip();
    }

    private static WebhookEndpoint endpoint(ResultSet rs, int n) throws SQLException {
        Array types = rs.getArray("event_types");
        long merchant = rs.getLong("merchant_id");
        Long merchantId = rs.wasNull() ? null : merchant;
        return new WebhookEndpoint(
                rs.getLong("endpoint_id"),
                merchantId,
                rs.getString("url"),
                List.copyOf(Arrays.asList((String[]) types.getArray())),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                instant(rs, "disabled_at"),
                rs.getString("contact_email"),
                instant(rs, "failing_since"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
