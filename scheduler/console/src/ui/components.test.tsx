// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { I18nProvider } from '../i18n/I18n';
import { SignIn } from '../pages/SignIn';
import { ErrorBoundary, ErrorMessage } from './parts';
import { ReasonDialog } from './ReasonDialog';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function Broken(): never {
  throw new Error('cannot read the run');
}

describe('errors on the page', () => {
  it('a rendering error shows its message, not a blank page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary fallbackTitle="Something went wrong" retry="Try again">
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByTestId('error-boundary').textContent).toContain('cannot read the run');
  });

  it("an API refusal shows the problem's title and detail", () => {
    const refusal = new ApiError(
      403,
      { type: 'https://kopek.io/problems/csrf', title: 'Csrf', detail: 'send the X-CSRF-Token header' },
      'x',
    );
    render(<ErrorMessage error={refusal} />);
    expect(screen.getByRole('alert').textContent).toBe('Csrf: send the X-CSRF-Token header');
  });

  it('an answer without a problem is told by its status, in Russian by default', () => {
    render(
      <I18nProvider>
        <ErrorMessage error={new ApiError(502, null, 'HTTP 502')} />
      </I18nProvider>,
    );
    expect(screen.getByRole('alert').textContent).toBe('Сервер ответил ошибкой 502.');
  });
});

describe('the reason dialog', () => {
  it('cannot be confirmed without a reason, and passes the reason trimmed', async () => {
    const confirmed: string[] = [];
    const closed = vi.fn();
    render(
      <ReasonDialog title="Pause" onConfirm={async (reason) => confirmed.push(reason)} onClose={closed} />,
    );
    const confirm = screen.getByTestId('reason-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);

    fireEvent.change(screen.getByTestId('reason-input'), { target: { value: '  provider outage  ' } });
    await act(async () => fireEvent.click(confirm));

    expect(confirmed).toEqual(['provider outage']);
    expect(closed).toHaveBeenCalledOnce();
  });

  it("stays open with the API's message when the action is refused", async () => {
    const closed = vi.fn();
    render(
      <ReasonDialog
        title="Change cron"
        onConfirm={() =>
          Promise.reject(new ApiError(400, { title: 'Invalid cron', detail: "'0 0 25 * * ?' has no hour 25" }, 'x'))
        }
        onClose={closed}
      />,
    );
    fireEvent.change(screen.getByTestId('reason-input'), { target: { value: 'later start' } });
    await act(async () => fireEvent.click(screen.getByTestId('reason-confirm')));

    expect(screen.getByTestId('dialog-error').textContent).toBe("Invalid cron: '0 0 25 * * ?' has no hour 25");
    expect(closed).not.toHaveBeenCalled();
  });
});

describe('the language', () => {
  it('is Russian at first, and the choice is remembered for the next visit', () => {
    const first = render(
      <I18nProvider>
        <SignIn expired={false} onSignedIn={() => {}} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('sign-in-submit').textContent).toBe('Войти');

    fireEvent.click(screen.getByText('EN'));
    expect(screen.getByTestId('sign-in-submit').textContent).toBe('Sign in');
    first.unmount();

    render(
      <I18nProvider>
        <SignIn expired={true} onSignedIn={() => {}} />
      </I18nProvider>,
    );
    expect(screen.getByTestId('sign-in-submit').textContent).toBe('Sign in');
    expect(screen.getByTestId('session-expired').textContent).toContain('sign in again');
  });
});
