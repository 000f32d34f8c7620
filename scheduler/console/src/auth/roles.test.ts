import { describe, expect, it } from 'vitest';
import { homeOf, may, pagesOf } from './roles';

describe('the pages of each role', () => {
  it('operator: jobs, reconciliation, fiscal and the dashboard', () => {
    expect(pagesOf('operator')).toEqual(['jobs', 'reconciliation', 'fiscal', 'dashboard']);
  });

  it('accountant: reconciliation, reports, fiscal and the dashboard', () => {
    expect(pagesOf('accountant')).toEqual(['reconciliation', 'reports', 'fiscal', 'dashboard']);
  });

  it('finance: the dashboard, reconciliation and reports', () => {
    expect(pagesOf('finance')).toEqual(['dashboard', 'reconciliation', 'reports']);
  });

  it('admin: every page, users included', () => {
    expect(pagesOf('admin')).toEqual(['jobs', 'reconciliation', 'reports', 'fiscal', 'dashboard', 'users']);
  });

  it('a customer or an unknown role gets none', () => {
    expect(pagesOf('customer')).toEqual([]);
    expect(pagesOf('toString')).toEqual([]);
    expect(homeOf('customer')).toBeNull();
  });

  it('each role lands on its first page', () => {
    expect(homeOf('operator')).toBe('jobs');
    expect(homeOf('accountant')).toBe('reconciliation');
    expect(homeOf('finance')).toBe('dashboard');
  });
});

describe('actions shown to a role, as the API allows them', () => {
  it('every staff role resolves discrepancies: operators fix what breaks, accountants and finance decide', () => {
    expect(['operator', 'accountant', 'finance', 'admin'].filter((r) => may(r, 'resolve-discrepancy'))).toEqual([
      'operator',
      'accountant',
      'finance',
      'admin',
    ]);
    expect(may('customer', 'resolve-discrepancy')).toBe(false);
  });

  it('only operators and admins control jobs; only admins manage users', () => {
    expect(may('operator', 'control-jobs')).toBe(true);
    expect(may('finance', 'control-jobs')).toBe(false);
    expect(may('admin', 'manage-users')).toBe(true);
    expect(may('operator', 'manage-users')).toBe(false);
  });
});
