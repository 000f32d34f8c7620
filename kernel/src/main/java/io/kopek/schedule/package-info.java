/**
 * Periodic work, declared by the module that owns it and run by the scheduler (Quartz, in the {@code scheduler}
 * module), so that no module needs a scheduling library of its own and every schedule is seen, changed and audited
 * in one place.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.kopek.schedule;
