// The dashboard's data shaped for charts: one series per provider or per class, one value per day (0 on a day
// without rows, so every series has the same days as the axis).
import type { DiscrepancyCount, ExpiringHold, TurnoverRow } from '../api/types';
import { majorUnits } from '../i18n/format';

export interface Series {
  name: string;
  data: number[];
}

/** Turnover (payments' amount, in major units, in the currency of the rows) per provider per day. */
export function turnoverSeries(rows: TurnoverRow[], days: string[], currency = 'RUB'): Series[] {
  const providers = [...new Set(rows.filter((r) => r.currency === currency).map((r) => r.provider))].sort();
  return providers.map((provider) => ({
    name: provider,
    data: days.map((day) =>
      rows
        .filter((r) => r.provider === provider && r.business_date === day && r.currency === currency)
        .reduce((sum, r) => sum + majorUnits(r.amount, currency), 0),
    ),
  }));
}

/** The currencies of the turnover, the most common first (the chart draws one at a time). */
export function currenciesOf(rows: TurnoverRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.currency, (counts.get(r.currency) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

/** Discrepancies per day, one stacked series per result class. */
export function discrepancySeries(rows: DiscrepancyCount[], days: string[]): Series[] {
  const classes = [...new Set(rows.map((r) => r.result_class))].sort();
  return classes.map((resultClass) => ({
    name: resultClass,
    data: days.map((day) =>
      rows.filter((r) => r.result_class === resultClass && r.business_date === day).reduce((sum, r) => sum + r.count, 0),
    ),
  }));
}

/** Hours-until-expiry buckets for holds: how many expire within 6 h, 12 h, 24 h, 48 h (each bucket exclusive). */
export const HOLD_BUCKETS = [6, 12, 24, 48] as const;

export function holdBuckets(holds: ExpiringHold[], now: Date): number[] {
  const counts = HOLD_BUCKETS.map(() => 0);
  for (const hold of holds) {
    const hours = (new Date(hold.expires_at).getTime() - now.getTime()) / 3_600_000;
    const index = HOLD_BUCKETS.findIndex((limit) => hours <= limit);
    counts[index < 0 ? HOLD_BUCKETS.length - 1 : index] += 1;
  }
  return counts;
}
