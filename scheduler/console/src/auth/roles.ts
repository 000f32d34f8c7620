// Which pages each role sees. The API decides what a role may do; this only keeps the menu to what can work.

export type Role = 'operator' | 'accountant' | 'finance' | 'admin';

export type PageName = 'jobs' | 'reconciliation' | 'reports' | 'fiscal' | 'dashboard' | 'users';

export const ALL_PAGES: readonly PageName[] = ['jobs', 'reconciliation', 'reports', 'fiscal', 'dashboard', 'users'];

/** Each role's pages in its menu's order, its everyday work first (where it lands after signing in). */
const PAGES: Record<Role, readonly PageName[]> = {
  operator: ['jobs', 'reconciliation', 'fiscal', 'dashboard'],
  accountant: ['reconciliation', 'reports', 'fiscal', 'dashboard'],
  finance: ['dashboard', 'reconciliation', 'reports'],
  admin: ALL_PAGES,
};

export function isRole(value: string): value is Role {
  // Own keys only: "toString" is in every object but is no role.
  return Object.hasOwn(PAGES, value);
}

/** The role's pages; none for a role the console does not know (a customer). */
export function pagesOf(role: string): PageName[] {
  return isRole(role) ? [...PAGES[role]] : [];
}

/** Where a role lands after signing in. */
export function homeOf(role: string): PageName | null {
  if (!isRole(role)) return null;
  return PAGES[role][0];
}

/** Actions the API allows a role, so buttons that would only earn a 403 are not shown. */
export type Action = 'resolve-discrepancy' | 'control-jobs' | 'request-report' | 'resend-receipt' | 'manage-users';

const ACTIONS: Record<Action, readonly Role[]> = {
  'resolve-discrepancy': ['accountant', 'finance', 'operator', 'admin'],
  'control-jobs': ['operator', 'admin'],
  'request-report': ['accountant', 'finance', 'admin'],
  'resend-receipt': ['accountant', 'operator', 'admin'],
  'manage-users': ['admin'],
};

export function may(role: string, action: Action): boolean {
  return isRole(role) && ACTIONS[action].includes(role);
}
