/**
 * Simulators of the providers Kopek talks to: real HTTP servers on loopback, for tests (random ports) and the demo
 * (in-process). What they share: the {@link io.kopek.sandbox.Script} that makes them misbehave and the
 * {@link io.kopek.sandbox.Notifier} that sends their callbacks. Open: each sub-package is one simulator, used as
 * it is by the tests and the demo.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kopek.sandbox;
