import { useState, type FormEvent } from 'react';
import { post } from '../api/client';
import type { Session } from '../api/types';
import { useI18n } from '../i18n/I18n';
import { ErrorMessage } from '../ui/parts';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: (session: Session) => void }) {
  const { t, lang, setLang } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await post<Session>('/session', { login, password }, { expect401: true }));
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <form onSubmit={submit} data-testid="sign-in">
        <h1>Kopek</h1>
        {expired && <p className="notice" data-testid="session-expired">{t('signIn.expired')}</p>}
        <label>
          {t('signIn.login')}
          <input
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            autoComplete="username"
            required
            autoFocus
            data-testid="login"
          />
        </label>
        <label>
          {t('signIn.password')}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
            data-testid="password"
          />
        </label>
        <ErrorMessage error={error} testId="sign-in-error" />
        <button type="submit" className="primary" disabled={busy} data-testid="sign-in-submit">
          {t('signIn.submit')}
        </button>
        <div className="lang-switch">
          <button type="button" disabled={lang === 'ru'} onClick={() => setLang('ru')}>
            RU
          </button>
          <button type="button" disabled={lang === 'en'} onClick={() => setLang('en')}>
            EN
          </button>
        </div>
      </form>
    </div>
  );
}
