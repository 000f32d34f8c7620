import { describe, expect, it } from 'vitest';
import type { ExpiringHold, TurnoverRow } from '../api/types';
import { currenciesOf, discrepancySeries, holdBuckets, turnoverSeries } from './series';

const days = ['2026-12-01', '2026-12-02', '2026-12-03'];
const row = (provider: string, business_date: string, amount: number, currency = 'RUB'): TurnoverRow => ({
  provider,
  business_date,
  currency,
  payments: 1,
  amount,
  refunds: 0,
  refunded: 0,
});

describe('dashboard series', () => {
  it('turnover: one series per provider, in roubles, 0 on days without payments', () => {
    const series = turnoverSeries(
      [row('sber', '2026-12-01', 150000), row('yookassa', '2026-12-03', 2550), row('sber', '2026-12-03', 100), row('sber', '2026-12-03', 1, 'USD')],
      days,
    );
    expect(series).toEqual([
      { name: 'sber', data: [1500, 0, 1] },
      { name: 'yookassa', data: [0, 0, 25.5] },
    ]);
  });

  it('the most common currency is drawn', () => {
    expect(currenciesOf([row('a', days[0], 1, 'USD'), row('a', days[1], 1), row('b', days[1], 1)])).toEqual(['RUB', 'USD']);
  });

  it('discrepancies: one stacked series per class', () => {
    expect(
      discrepancySeries(
        [
          { business_date: '2026-12-02', result_class: 'missing_in_ledger', count: 3 },
          { business_date: '2026-12-03', result_class: 'amount_mismatch', count: 1 },
        ],
        days,
      ),
    ).toEqual([
      { name: 'amount_mismatch', data: [0, 0, 1] },
      { name: 'missing_in_ledger', data: [0, 3, 0] },
    ]);
  });

  it('holds fall into the first bucket their expiry fits', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    const hold = (hours: number): ExpiringHold => ({
      hold_id: hours,
      customer_id: 1,
      amount: { amount: 100, currency: 'RUB' },
      expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    });
    expect(holdBuckets([hold(1), hold(6), hold(7), hold(30), hold(47)], now)).toEqual([2, 1, 0, 2]);
  });
});
