// Filters as query strings: empty values are left out, so "any" is simply no parameter.

export type QueryValue = string | number | boolean | null | undefined;

export function toQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    const text = String(value).trim();
    if (text === '') continue;
    search.append(name, text);
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}

export interface RunFilter {
  job?: string;
  status?: string;
  from?: string;
  to?: string;
}

export function jobRunsQuery(filter: RunFilter, cursor?: string | null, limit = 20): string {
  return toQuery({ job: filter.job, status: filter.status, from: filter.from, to: filter.to, cursor, limit });
}

export interface AuditFilter {
  action?: string;
  from?: string;
  to?: string;
}

export function auditQuery(filter: AuditFilter, cursor?: string | null, limit = 20): string {
  return toQuery({ action: filter.action, from: filter.from, to: filter.to, cursor, limit });
}

export interface DiscrepancyFilter {
  provider?: string;
  business_date?: string;
  result_class?: string;
  status?: string;
}

export function discrepanciesQuery(filter: DiscrepancyFilter, cursor?: string | null, limit = 50): string {
  return toQuery({ ...filter, cursor, limit });
}

/** What to resolve: the ids ticked, or every discrepancy the filter matches (the server applies it). */
export type ResolveSelection = { ids: number[] } | { filter: DiscrepancyFilter };

export function resolveBody(selection: ResolveSelection, resolution: string): Record<string, unknown> {
  if ('ids' in selection) return { ids: [...selection.ids].sort((a, b) => a - b), resolution };
  const filter: DiscrepancyFilter = {};
  for (const [name, value] of Object.entries(selection.filter) as [keyof DiscrepancyFilter, string | undefined][]) {
    if (value && value.trim()) filter[name] = value.trim();
  }
  return { filter, resolution };
}

/** A report's filters as the API takes them: empty ones dropped, amounts and customer ids as numbers. */
export function reportFilters(values: Record<string, string>): Record<string, string | number> {
  const numeric = new Set(['customer', 'min_amount', 'max_amount']);
  const filters: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    const text = value.trim();
    if (!text) continue;
    filters[name] = numeric.has(name) && /^-?\d+$/.test(text) ? Number(text) : text;
  }
  return filters;
}
