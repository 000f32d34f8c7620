/**
 * The scheduler: Quartz in a cluster running every {@link io.kopek.schedule.ScheduledWork} of the platform, the
 * daily settlement chain's schedule and catch-up, the {@link io.kopek.scheduler.AuditLog} of operators' actions,
 * the job-control API and the operator console.
 */
package io.kopek.scheduler;
