/**
 * Notifications: what happened in Kopek told to the systems and people who need it. An outbox consumer of its own
 * ({@link io.kopek.notification.NotificationConsumer}) turns each event into a {@link io.kopek.notification.Notification}
 * (the event, who it concerns, the object's state) and hands it to every {@link io.kopek.notification.NotificationChannel}
 * in the consumer's transaction: signed webhooks to merchants' endpoints (Standard Webhooks) and e-mail to customers and
 * staff. What a channel records there is sent afterwards by its {@link io.kopek.notification.NotificationPump}, retried
 * until it is delivered or given up, always with the event's id.
 */
package io.kopek.notification;
