/** Quartz's plumbing that Quartz itself instantiates by class name, so it must be public; not for other modules. */
package io.kopek.scheduler.quartz;
