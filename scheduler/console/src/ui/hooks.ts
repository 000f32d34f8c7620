import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of deps; the latest answer wins (an older, slower one is dropped). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error) => mine === generation.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export interface Paged<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  more: () => void;
  reload: () => void;
}

/** A cursor-paged list: the first page on each change of deps, the next one on more(). */
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  const load = useCallback((from: string | null, append: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    fetcher.current(from).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((old) => (append ? [...old, ...page.data] : page.data));
        setCursor(page.next_cursor ?? null);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (mine !== generation.current) return;
        if (!append) setItems([]);
        setError(e);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setCursor(null);
    load(null, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  return {
    items,
    error,
    loading,
    hasMore: cursor !== null,
    more: () => cursor !== null && load(cursor, true),
    reload: () => setTick((t) => t + 1),
  };
}
