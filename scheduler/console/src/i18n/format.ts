// Numbers, money and dates as each language writes them. Money arrives as integer minor units (the API's
// {"amount": 123456, "currency": "RUB"}); it is turned into an exact decimal string, never divided as a float.

export type Lang = 'ru' | 'en';

/** Where the business days are counted: a date-time is shown as Moscow sees it, whatever the browser's zone. */
export const BUSINESS_ZONE = 'Europe/Moscow';

const LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-US' };

export interface Money {
  amount: number;
  currency: string;
}

/** How many minor units a currency has (2 for RUB, 0 for JPY), as ISO 4217 says and Intl knows. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 123456 minor units of RUB as the exact decimal "1234.56". */
export function decimalOf(minor: number | bigint, currency: string): string {
  const digits = minorDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return (negative ? '-' : '') + whole + (digits > 0 ? '.' + fraction : '');
}

/** For charts only: the amount in major units as a number (precise enough to draw, not to add up). */
export function majorUnits(minor: number, currency: string): number {
  return Number(decimalOf(minor, currency));
}

/** "1 234,56 ₽" in Russian, "RUB 1,234.56" in English. */
export function formatMoney(minor: number | bigint, currency: string, lang: Lang): string {
  const format = new Intl.NumberFormat(LOCALE[lang], {
    style: 'currency',
    currency,
    currencyDisplay: lang === 'en' ? 'code' : 'symbol',
  });
  // Intl formats a decimal string exactly (no float rounding of large amounts).
  return format.format(decimalOf(minor, currency) as unknown as number);
}

export function formatMoneyOf(money: Money | null | undefined, lang: Lang): string {
  return money ? formatMoney(money.amount, money.currency, lang) : '—';
}

/** "1 234 567" in Russian, "1,234,567" in English. */
export function formatNumber(n: number | null | undefined, lang: Lang): string {
  return n == null ? '—' : new Intl.NumberFormat(LOCALE[lang]).format(n);
}

/** A business date (ISO "2026-12-03", no zone): "03.12.2026" in Russian, "Dec 3, 2026" in English. */
export function formatDate(isoDate: string | null | undefined, lang: Lang): string {
  if (!isoDate) return '—';
  const [y, m, d] = isoDate.split('-').map(Number);
  const options: Intl.DateTimeFormatOptions =
    lang === 'ru' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(LOCALE[lang], { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant ("2026-12-03T21:30:00Z") in Moscow time: "04.12.2026, 00:30:00" / "Dec 4, 2026, 00:30:00". */
export function formatDateTime(instant: string | null | undefined, lang: Lang): string {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const day: Intl.DateTimeFormatOptions =
    lang === 'ru' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' };
  return new Intl.DateTimeFormat(LOCALE[lang], {
    ...day,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: BUSINESS_ZONE,
  }).format(date);
}

/** The business day an instant falls on, in Moscow: "2026-12-04". */
export function businessDateOf(instant: Date): string {
  // en-CA writes dates as ISO does.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: BUSINESS_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Every business date from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 400; day = addDays(day, 1)) days.push(day);
  return days;
}

export function formatDuration(ms: number | null | undefined, lang: Lang): string {
  if (ms == null) return '—';
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${formatNumber(seconds, lang)} ${lang === 'ru' ? 'с' : 's'}`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return lang === 'ru' ? `${minutes} мин ${rest} с` : `${minutes} min ${rest} s`;
}
