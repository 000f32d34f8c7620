// Job runs as the Jobs page keeps them: the list it loaded, updated in place by the server's SSE events.
import type { JobRun } from '../api/types';

const RUNNING = new Set(['STARTING', 'STARTED', 'STOPPING']);

export function isRunning(run: JobRun): boolean {
  return RUNNING.has(run.status);
}

/** Runs that ended in a way a restart can continue. */
export function isRestartable(run: JobRun): boolean {
  return run.status === 'FAILED' || run.status === 'STOPPED';
}

/**
 * How far a run is, 0..100. The server's figure when it sends one; otherwise a finished run is 100 and a running
 * one counts its finished steps (a step counts by its own progress when it has one).
 */
export function progressOf(run: JobRun): number {
  if (run.status === 'COMPLETED') return 100;
  if (typeof run.progress === 'number' && Number.isFinite(run.progress)) return clamp(run.progress);
  const steps = run.steps ?? [];
  if (!isRunning(run)) return steps.length ? stepsProgress(run) : 0;
  if (!steps.length) return 0;
  return stepsProgress(run);
}

function stepsProgress(run: JobRun): number {
  const steps = run.steps ?? [];
  const done = steps.reduce((sum, step) => {
    if (step.status === 'COMPLETED') return sum + 1;
    if (typeof step.progress === 'number') return sum + clamp(step.progress) / 100;
    return sum;
  }, 0);
  // A running run is never shown as finished before the server says so.
  const value = Math.floor((done / steps.length) * 100);
  return isRunning(run) ? Math.min(value, 99) : value;
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}

/**
 * Puts an event's run into the list: replaces the run with its id, or adds it; newest (highest id) first. An event
 * older than what the list has (a late poll answer) does not take a finished run back to running.
 */
export function mergeRun(runs: readonly JobRun[], event: JobRun): JobRun[] {
  const index = runs.findIndex((r) => r.id === event.id);
  if (index < 0) return [...runs, event].sort((a, b) => b.id - a.id);
  const known = runs[index];
  if (!isRunning(known) && isRunning(event)) return [...runs];
  const next = [...runs];
  next[index] = { ...known, ...event };
  return next;
}

/** The runs to show as running: those running now, and those that finished since the page opened (briefly). */
export function runningOf(runs: readonly JobRun[], recentlyFinished: ReadonlySet<number>): JobRun[] {
  return runs.filter((r) => isRunning(r) || recentlyFinished.has(r.id));
}

/** A run's parameters without the technical ones Spring Batch adds ("run.id"). */
export function visibleParameters(run: JobRun): [string, string][] {
  return Object.entries(run.parameters ?? {}).filter(([name]) => !name.startsWith('run.'));
}
