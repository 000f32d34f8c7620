package io.kopek.notification;

/**
 * One way of telling (webhooks, e-mail). Called for every notified event, in the transaction that moves the
 * notifications consumer past it: what the channel records there (a message per endpoint, a mail per recipient)
 * exists exactly when the consumer's position says the event was seen, so an event is never lost and never recorded
 * twice. Sending happens afterwards, by the channel's {@link NotificationPump}.
 */
public interface NotificationChannel {

    /** Records what this channel will send about the notification; {@code true} when it recorded something. */
    boolean accept(Notification notification);
}
