import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDateOf,
  daysBetween,
  decimalOf,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
} from './format';

// Intl separates groups and the currency sign with no-break spaces; compare them as plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money from minor units', () => {
  it('is written the Russian way with the rouble sign', () => {
    expect(plain(formatMoney(123456, 'RUB', 'ru'))).toBe('1 234,56 ₽');
  });

  it('is written the English way with the currency code', () => {
    expect(plain(formatMoney(123456, 'RUB', 'en'))).toBe('RUB 1,234.56');
  });

  it('keeps every kopeck of an amount too large for a float to hold exactly', () => {
    // 2^53 + 1 minor units: as a float divided by 100 the last digit would be lost.
    expect(decimalOf(9007199254740993n, 'RUB')).toBe('90071992547409.93');
    expect(plain(formatMoney(9007199254740993n, 'RUB', 'en'))).toBe('RUB 90,071,992,547,409.93');
  });

  it('shows negatives, small amounts and zero', () => {
    expect(plain(formatMoney(-5, 'RUB', 'ru'))).toBe('-0,05 ₽');
    expect(plain(formatMoney(7, 'RUB', 'en'))).toBe('RUB 0.07');
    expect(plain(formatMoney(0, 'RUB', 'ru'))).toBe('0,00 ₽');
  });

  it('follows the currency’s own minor units', () => {
    expect(decimalOf(1500, 'JPY')).toBe('1500');
    expect(plain(formatMoney(1500, 'JPY', 'en'))).toBe('JPY 1,500');
    expect(plain(formatMoney(1500, 'USD', 'en'))).toBe('USD 15.00');
  });
});

describe('numbers', () => {
  it('group thousands per language', () => {
    expect(plain(formatNumber(1234567, 'ru'))).toBe('1 234 567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(null, 'en')).toBe('—');
  });
});

describe('dates', () => {
  it('a business date is shown as that day in any browser zone', () => {
    expect(formatDate('2026-12-03', 'ru')).toBe('03.12.2026');
    expect(formatDate('2026-12-03', 'en')).toBe('Dec 3, 2026');
  });

  it('an instant is shown in Moscow time, where the business day is counted', () => {
    // 21:30 UTC is already the next day in Moscow (UTC+3).
    expect(formatDateTime('2026-12-03T21:30:05Z', 'ru')).toBe('04.12.2026, 00:30:05');
    expect(formatDateTime('2026-12-03T21:30:05Z', 'en')).toBe('Dec 4, 2026, 00:30:05');
  });

  it('the business day of an instant is Moscow’s', () => {
    expect(businessDateOf(new Date('2026-12-03T20:59:59Z'))).toBe('2026-12-03');
    expect(businessDateOf(new Date('2026-12-03T21:00:00Z'))).toBe('2026-12-04');
  });

  it('days are counted across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(daysBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('missing values are a dash, an unreadable instant is shown as it came', () => {
    expect(formatDate(null, 'ru')).toBe('—');
    expect(formatDateTime(undefined, 'en')).toBe('—');
    expect(formatDateTime('yesterday', 'en')).toBe('yesterday');
  });
});
