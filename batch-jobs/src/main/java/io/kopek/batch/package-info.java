/**
 * Spring Batch for every Kopek job: the job repository in PostgreSQL (schema {@code kopek}, migration
 * {@code V6__batch.sql}), {@link io.kopek.batch.Jobs} to start a job, watch its runs and restart a failed one, and
 * the recovery of runs left behind by a process that died ({@code kill -9}): each batch worker holds a PostgreSQL
 * advisory lock while it lives, and a run whose worker's lock is gone is marked failed, so it can be restarted.
 * Jobs exist only in processes with the {@code batch} role; one configuration class per job (e.g. {@code
 * io.kopek.batch.fiscal.FiscalPushJob}).
 */
package io.kopek.batch;
