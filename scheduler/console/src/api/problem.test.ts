import { describe, expect, it } from 'vitest';
import { ApiError, problemKind, problemMessage, readProblem } from './problem';

const words = (status: number) => `HTTP ${status}`;

describe('a problem as a message', () => {
  it('joins the title and the detail', () => {
    expect(
      problemMessage(
        { type: 'https://kopek.io/problems/invalid-cron', title: 'Invalid cron', status: 400, detail: "'0 0 25 * * ?' has no hour 25" },
        400,
        words,
      ),
    ).toBe("Invalid cron: '0 0 25 * * ?' has no hour 25");
  });

  it('lists the fields of a validation problem', () => {
    expect(
      problemMessage(
        {
          type: 'https://kopek.io/problems/validation',
          title: 'Validation',
          detail: 'the request is not valid',
          errors: [
            { field: 'reason', message: 'size must be between 0 and 1000' },
            { field: 'cron', message: 'must not be blank' },
          ],
        },
        400,
        words,
      ),
    ).toBe('Validation: the request is not valid (reason: size must be between 0 and 1000; cron: must not be blank)');
  });

  it('uses what there is when only a title or a detail came', () => {
    expect(problemMessage({ title: 'Forbidden' }, 403, words)).toBe('Forbidden');
    expect(problemMessage({ detail: 'send the X-CSRF-Token header' }, 403, words)).toBe('send the X-CSRF-Token header');
  });

  it('does not repeat a title the detail already starts with', () => {
    expect(problemMessage({ title: 'Not found', detail: 'Not found: job run 7' }, 404, words)).toBe('Not found: job run 7');
  });

  it('falls back to the status when there is no problem (a proxy’s error page)', () => {
    expect(problemMessage(null, 502, words)).toBe('HTTP 502');
  });

  it('knows the type by its stable suffix', () => {
    expect(problemKind({ type: 'https://kopek.io/problems/csrf' })).toBe('csrf');
    expect(problemKind({ type: 'about:blank' })).toBeNull();
    expect(new ApiError(403, { type: 'https://kopek.io/problems/csrf' }, 'x').kind).toBe('csrf');
  });
});

describe('reading a failed answer', () => {
  it('reads problem+json', async () => {
    const response = new Response(JSON.stringify({ title: 'Account locked', status: 423 }), {
      status: 423,
      headers: { 'Content-Type': 'application/problem+json' },
    });
    expect(await readProblem(response)).toEqual({ title: 'Account locked', status: 423 });
  });

  it('gives nothing for an HTML error page or a broken body', async () => {
    expect(await readProblem(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }))).toBeNull();
    expect(await readProblem(new Response('{', { status: 500, headers: { 'Content-Type': 'application/json' } }))).toBeNull();
  });
});
