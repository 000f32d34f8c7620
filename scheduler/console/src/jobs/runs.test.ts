import { describe, expect, it } from 'vitest';
import type { JobRun } from '../api/types';
import { isRestartable, mergeRun, progressOf, runningOf, visibleParameters } from './runs';

const run = (id: number, status: string, extra: Partial<JobRun> = {}): JobRun => ({
  id,
  job: 'reconciliation',
  status,
  parameters: { provider: 'sber', businessDate: '2026-12-03', 'run.id': '5' },
  ...extra,
});

describe('progress of a run', () => {
  it("is the server's figure while running", () => {
    expect(progressOf(run(1, 'STARTED', { progress: 42 }))).toBe(42);
  });

  it('is 100 once completed, whatever the last figure was', () => {
    expect(progressOf(run(1, 'COMPLETED', { progress: 97 }))).toBe(100);
  });

  it('counts finished steps (and a running step by its own progress) when the server sends no figure', () => {
    const steps = [
      { name: 'match', status: 'COMPLETED' },
      { name: 'post', status: 'STARTED', progress: 50 },
      { name: 'publish', status: 'STARTING' },
      { name: 'notify', status: 'STARTING' },
    ];
    expect(progressOf(run(1, 'STARTED', { steps }))).toBe(37);
  });

  it('never shows a running run as finished, nor goes outside 0..100', () => {
    expect(progressOf(run(1, 'STARTED', { steps: [{ name: 'only', status: 'COMPLETED' }] }))).toBe(99);
    expect(progressOf(run(1, 'STARTED', { progress: 140 }))).toBe(100);
    expect(progressOf(run(1, 'STARTED', { progress: -3 }))).toBe(0);
    expect(progressOf(run(1, 'STARTING'))).toBe(0);
  });
});

describe('SSE events merged into the runs', () => {
  it('a new run is added, newest first', () => {
    const runs = mergeRun([run(3, 'COMPLETED'), run(1, 'FAILED')], run(7, 'STARTING'));
    expect(runs.map((r) => r.id)).toEqual([7, 3, 1]);
  });

  it("a known run is updated in place with the event's state and progress", () => {
    const before = [run(7, 'STARTED', { progress: 10 }), run(3, 'COMPLETED')];
    const after = mergeRun(before, run(7, 'STARTED', { progress: 60 }));
    expect(after.map((r) => [r.id, r.status, r.progress])).toEqual([
      [7, 'STARTED', 60],
      [3, 'COMPLETED', undefined],
    ]);
    expect(before[0].progress).toBe(10);
  });

  it('a late event does not take a finished run back to running', () => {
    const runs = mergeRun([run(7, 'COMPLETED')], run(7, 'STARTED', { progress: 80 }));
    expect(runs[0].status).toBe('COMPLETED');
  });

  it('the running list keeps a run that just finished, so its bar is seen reaching 100 %', () => {
    const runs = [run(9, 'STARTED'), run(8, 'COMPLETED'), run(7, 'COMPLETED')];
    expect(runningOf(runs, new Set([8])).map((r) => r.id)).toEqual([9, 8]);
  });
});

describe('a run as shown', () => {
  it('hides Spring Batch’s own parameters', () => {
    expect(visibleParameters(run(1, 'COMPLETED'))).toEqual([
      ['provider', 'sber'],
      ['businessDate', '2026-12-03'],
    ]);
  });

  it('offers a restart only for failed or stopped runs', () => {
    expect(['FAILED', 'STOPPED', 'COMPLETED', 'STARTED'].filter((s) => isRestartable(run(1, s)))).toEqual(['FAILED', 'STOPPED']);
  });
});
