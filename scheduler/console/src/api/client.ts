// The one door to the API. The session cookie goes with every call (same origin); every POST carries the
// session's CSRF token and a fresh Idempotency-Key, so a retried click is never a second action. A 401 anywhere
// means the session is gone: the app goes back to the sign-in page.
import { ApiError, problemMessage, readProblem } from './problem';

export const API_BASE = '/api/v1';

let csrfToken: string | null = null;
let unauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

interface CallOptions {
  /** Sign-in itself answers 401 for a wrong password: that is a message on the form, not a lost session. */
  expect401?: boolean;
}

export async function call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Idempotency-Key'] = newIdempotencyKey();
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, null, `network error: ${(e as Error).message}`);
  }
  if (response.status === 401 && !options.expect401) unauthorized();
  if (!response.ok) {
    const problem = await readProblem(response);
    throw new ApiError(response.status, problem, problemMessage(problem, response.status, (s) => `HTTP ${s}`));
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}, options?: CallOptions) =>
  call<T>('POST', path, body, options);
