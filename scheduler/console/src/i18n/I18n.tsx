import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dictionaries, type Key } from './dictionary';
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatMoneyOf,
  formatNumber,
  type Lang,
  type Money,
} from './format';

const STORAGE = 'kopek.console.lang';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** The phrase for a key; {name} in it is replaced by vars.name. */
  t: (key: Key, vars?: Record<string, string | number>) => string;
  /** A code from the API (a state, a result class) in words when the dictionary has it, else the code itself. */
  code: (prefix: string, code: string | null | undefined) => string;
  money: (minor: number, currency: string) => string;
  moneyOf: (money: Money | null | undefined) => string;
  num: (n: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (instant: string | null | undefined) => string;
  duration: (ms: number | null | undefined) => string;
}

export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE) === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void = () => {}): I18n {
  const words = dictionaries[lang] as Record<string, string>;
  const t = (key: Key, vars?: Record<string, string | number>) =>
    (words[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
  return {
    lang,
    setLang,
    t,
    code: (prefix, code) => (code ? words[`${prefix}.${code.toLowerCase()}`] ?? code : '—'),
    money: (minor, currency) => formatMoney(minor, currency, lang),
    moneyOf: (money) => formatMoneyOf(money, lang),
    num: (n) => formatNumber(n, lang),
    date: (iso) => formatDate(iso, lang),
    dateTime: (instant) => formatDateTime(instant, lang),
    duration: (ms) => formatDuration(ms, lang),
  };
}

const Context = createContext<I18n>(makeI18n('ru'));

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const value = useMemo(
    () =>
      makeI18n(lang, (next) => {
        setLangState(next);
        try {
          localStorage.setItem(STORAGE, next);
        } catch {
          // Private mode: the choice lasts until the tab closes.
        }
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  return useContext(Context);
}
