// A router of a few lines: the console's pages are /console/<page>[/<rest>], pushed onto the browser's history.
import { useEffect, useState } from 'react';

export const BASE = '/console/';
const CHANGE = 'kopek:navigate';

/** The path inside the console: "jobs", "reconciliation", "" for the start page. */
export function currentPath(): string {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length).replace(/\/+$/, '') : '';
}

export function navigate(to: string): void {
  const target = BASE + to.replace(/^\/+/, '');
  if (target !== window.location.pathname + window.location.search) {
    window.history.pushState(null, '', target);
    window.dispatchEvent(new Event(CHANGE));
  }
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}
