package io.kopek.notification;

/**
 * Sends what a channel recorded: one pass claims what is due (for update skip locked, with a lease, so that any number
 * of batch processes can pump at once and a dead one's claims are taken again), sends it and records the outcome.
 * {@link NotificationWorkers} runs every pump in a loop of its own in the batch role.
 */
public interface NotificationPump {

    /** A short name for logs and metrics ({@code webhooks}, {@code mail}). */
    String name();

    /** One pass; answers how many messages it finished (sent, or given up), so the loop goes on at once while busy. */
    int pump();
}
