package io.kopek.provider.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.money.Money;
import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.PaymentProviderContract;
import io.kopek.provider.PaymentState;
import io.kopek.provider.ProviderEvent;
import io.kopek.provider.ProviderException;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The YooKassa provider against the YooKassa simulator over real HTTP. */
class YooKassaProviderTest extends PaymentProviderContract {

    YooKassaSimulator yookassa;
    YooKassaProvider provider;

    @BeforeEach
    void start() throws Exception {
        yookassa = YooKassaSimulator.start(0, "12345", "test_secret");
        provider = provider("test_secret", Duration.ofSeconds(2));
    }

    YooKassaProvider provider(String secret, Duration timeout) {
        return new YooKassaProvider(new YooKassaProperties(
                true,
                yookassa.baseUrl(),
                "12345",
                secret,
                URI.create("https://shop.example/back"),
                Duration.ofSeconds(2),
                timeout,
                List.of("185.71.76.0/27", "127.0.0.1", "2a02:5180::/32")));
    }

    @AfterEach
    void stop() {
        yookassa.close();
    }

    @Override
    protected PaymentProvider provider() {
        return provider;
    }

    @Override
    protected PaymentProvider providerWithRequestTimeout(Duration timeout) {
        return provider("test_secret", timeout);
    }

    @Override
    protected Script script() {
        return yookassa.script();
    }

    @Override
    protected int paymentsCreated() {
        return yookassa.paymentsCreated();
    }

    @Test
    void theCardMaskIsAllThatIsKeptOfTheCard() {
        String id = provider.create(payment(1_00, false)).providerPaymentId();

        assertThat(awaitState(id, PaymentState.SUCCEEDED).cardMask()).isEqualTo("555555******4444");
    }

    @Test
    void refusalsCarryYooKassasErrorCode() {
        assertThatThrownBy(() -> provider("wrong", Duration.ofSeconds(2)).create(payment(100, false)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(ProviderException.Outcome.REFUSED);
                    assertThat(e.code()).isEqualTo("invalid_credentials");
                });
        assertThatThrownBy(() -> provider.capture(java.util.UUID.randomUUID().toString(), Money.rub(1), "k"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
        assertThatThrownBy(() -> provider.capture("../refunds", Money.rub(1), "k"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("invalid_payment_id"));
        assertThat(yookassa.paymentsCreated()).isZero();
    }

    Callback notification(String from, String event, String objectJson) {
        String body = "{\"type\":\"notification\",\"event\":\"" + event + "\",\"object\":" + objectJson + "}";
        return new Callback(
                from, Map.of("content-type", "application/json"), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNotificationIsBelievedOnlyAsFarAsTheApiConfirmsIt() {
        String id = provider.create(payment(100_00, true)).providerPaymentId();
        awaitState(id, PaymentState.AUTHORIZED);

        // Claims success, but the payment is only authorised: the event carries the confirmed state.
        ProviderEvent event = provider.verify(
                notification("127.0.0.1", "payment.succeeded", "{\"id\":\"" + id + "\",\"status\":\"succeeded\"}"));

        assertThat(event.type()).isEqualTo("payment.succeeded");
        assertThat(event.eventKey()).isEqualTo("payment.succeeded:" + id);
        assertThat(event.payment().state()).isEqualTo(PaymentState.AUTHORIZED);
    }

    @Test
    void notificationsFromOutsideTheAllowListOrAboutUnknownPaymentsAreRejected() {
        String id = provider.create(payment(100_00, false)).providerPaymentId();

        assertThatThrownBy(
                        () -> provider.verify(notification("8.8.8.8", "payment.succeeded", "{\"id\":\"" + id + "\"}")))
                .isInstanceOf(CallbackRejectedException.class)
                .hasMessageContaining("allow-list");
        assertThatThrownBy(() -> provider.verify(notification(
                        "127.0.0.1", "payment.succeeded", "{\"id\":\"" + java.util.UUID.randomUUID() + "\"}")))
                .isInstanceOf(CallbackRejectedException.class)
                .hasMessageContaining("does not know");
        assertThatThrownBy(() -> provider.verify(notification("127.0.0.1", "payment.succeeded", "{\"id\":\"forged\"}")))
                .isInstanceOfSatisfying(
                        CallbackRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CallbackRejectedException.Reason.MALFORMED));
        assertThatThrownBy(() -> provider.verify(
                        new Callback("127.0.0.1", Map.of(), Map.of(), "not json".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(CallbackRejectedException.class);
        assertThatThrownBy(
                        () -> provider.verify(notification("127.0.0.1", "payout.succeeded", "{\"id\":\"" + id + "\"}")))
                .isInstanceOf(CallbackRejectedException.class);
    }

    @Test
    void theDefaultAllowListIsYooKassasNetworks() {
        YooKassaProperties defaults = new Binder(new MapConfigurationPropertySource(
                        Map.of("kopek.providers.yookassa.shop-id", "1", "kopek.providers.yookassa.secret-key", "k")))
                .bindOrCreate("kopek.providers.yookassa", YooKassaProperties.class);
        IpAllowList yookassaNetworks = new IpAllowList(defaults.notificationAddresses());

        assertThat(yookassaNetworks.allows("185.71.76.31")).isTrue();
        assertThat(yookassaNetworks.allows("185.71.76.32")).isFalse();
        assertThat(yookassaNetworks.allows("77.75.156.11")).isTrue();
        assertThat(yookassaNetworks.allows("77.75.156.12")).isFalse();
        assertThat(yookassaNetworks.allows("2a02:5180:0:1509::1")).isTrue();
        assertThat(yookassaNetworks.allows("2a02:5181::1")).isFalse();
        assertThat(yookassaNetworks.allows("evil.example")).isFalse();
        assertThat(yookassaNetworks.allows(null)).isFalse();
    }

    @Test
    void amountsTravelAsExactDecimalStrings() {
        assertThat(YooKassaProvider.amount(Money.rub(100_05))).containsEntry("value", "100.05");
        assertThat(YooKassaProvider.amount(Money.rub(7))).containsEntry("value", "0.07");
    }
}
