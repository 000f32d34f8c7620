// RFC 9457 problems as the API writes them (ProblemWriter): type https://kopek.io/problems/<suffix>, a title made
// from the suffix, the detail, and for validation the bad fields.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field?: string; message?: string }[];
}

/** Any failed API call: its HTTP status and the problem the server gave (if it gave one). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The stable suffix of the type: "csrf", "validation", "not-found". */
  get kind(): string | null {
    return problemKind(this.problem);
  }
}

export function problemKind(problem: Problem | null | undefined): string | null {
  const type = problem?.type;
  if (!type || type === 'about:blank') return null;
  return type.substring(type.lastIndexOf('/') + 1) || null;
}

/** Words for a status when the server sent no problem (a proxy's 502, a network error). */
export type StatusWords = (status: number) => string;

/**
 * What a person reads: "Invalid cron: ... " from title and detail, the fields of a validation problem, or the
 * status in words when there is no problem body.
 */
export function problemMessage(problem: Problem | null | undefined, status: number, statusWords: StatusWords): string {
  const title = problem?.title?.trim();
  const detail = problem?.detail?.trim();
  let message: string;
  if (title && detail) {
    message = detail.toLowerCase().startsWith(title.toLowerCase()) ? detail : `${title}: ${detail}`;
  } else {
    message = title || detail || statusWords(status);
  }
  const fields = (problem?.errors ?? [])
    .filter((e) => e.field || e.message)
    .map((e) => (e.field ? `${e.field}: ${e.message ?? ''}`.trim() : e.message ?? ''));
  const missing = fields.filter((f) => !message.includes(f));
  return missing.length ? `${message} (${missing.join('; ')})` : message;
}

/** Reads a failed response's body as a problem when it is JSON; null otherwise. */
export async function readProblem(response: Response): Promise<Problem | null> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const body = await response.json();
    return body && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}
