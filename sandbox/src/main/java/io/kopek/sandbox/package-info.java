/**
 * Simulators of the providers Kopek talks to: real HTTP servers on loopback, for tests (random ports) and the demo
 * (in-process). What they share: the {@link io.kopek.sandbox.Script} that makes them misbehave and the
 * {@link io.kopek.sandbox.Notifier} that sends their callbacks.
 */
package io.kopek.sandbox;
