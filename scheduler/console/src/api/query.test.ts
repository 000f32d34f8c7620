import { describe, expect, it } from 'vitest';
import { auditQuery, discrepanciesQuery, jobRunsQuery, reportFilters, resolveBody, toQuery } from './query';

describe('filters as query strings', () => {
  it('leave out what is not set, so "any" sends nothing', () => {
    expect(toQuery({ job: '', status: undefined, from: null, to: '  ' })).toBe('');
    expect(jobRunsQuery({}, null)).toBe('?limit=20');
  });

  it('keep the order given and encode values', () => {
    expect(jobRunsQuery({ job: 'reconciliation', status: 'FAILED', from: '2026-12-01', to: '2026-12-03' }, '42', 50)).toBe(
      '?job=reconciliation&status=FAILED&from=2026-12-01&to=2026-12-03&cursor=42&limit=50',
    );
    expect(toQuery({ provider: 'a&b c' })).toBe('?provider=a%26b+c');
  });

  it('pass the cursor of the next page', () => {
    expect(auditQuery({ action: 'job_stopped' }, '17')).toBe('?action=job_stopped&cursor=17&limit=20');
    expect(discrepanciesQuery({ provider: 'sber', business_date: '2026-12-03', result_class: '', status: 'open' }, null)).toBe(
      '?provider=sber&business_date=2026-12-03&status=open&limit=50',
    );
  });
});

describe('what to resolve', () => {
  it('the ticked ids, in order', () => {
    expect(resolveBody({ ids: [9, 3, 5] }, 'refund issued')).toEqual({ ids: [3, 5, 9], resolution: 'refund issued' });
  });

  it('or everything the filter matches, without its empty fields', () => {
    expect(
      resolveBody({ filter: { provider: 'sber', business_date: '2026-12-03', result_class: '', status: 'open' } }, 'ok'),
    ).toEqual({ filter: { provider: 'sber', business_date: '2026-12-03', status: 'open' }, resolution: 'ok' });
  });
});

describe("a report's filters", () => {
  it('drop empty ones and send ids and amounts as numbers', () => {
    expect(reportFilters({ from: '2026-12-01', to: '', customer: '15', min_amount: '1000', provider: ' sber ' })).toEqual({
      from: '2026-12-01',
      customer: 15,
      min_amount: 1000,
      provider: 'sber',
    });
  });

  it('leave a malformed number for the server to refuse with its own message', () => {
    expect(reportFilters({ max_amount: '12.5' })).toEqual({ max_amount: '12.5' });
  });
});
