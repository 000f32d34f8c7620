import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { get, onUnauthorized, post, setCsrfToken } from './api/client';
import { ApiError } from './api/problem';
import type { Session } from './api/types';
import { homeOf, pagesOf, type PageName } from './auth/roles';
import { I18nProvider, useI18n } from './i18n/I18n';
import type { Key } from './i18n/dictionary';
import { Dashboard } from './pages/Dashboard';
import { Fiscal } from './pages/Fiscal';
import { Jobs } from './pages/Jobs';
import { Reconciliation } from './pages/Reconciliation';
import { Reports } from './pages/Reports';
import { SignIn } from './pages/SignIn';
import { Users } from './pages/Users';
import { navigate, usePath } from './router';
import { ErrorBoundary, ErrorMessage, Loading } from './ui/parts';

const PAGES: Record<PageName, (props: { session: Session }) => ReactElement> = {
  jobs: Jobs,
  reconciliation: Reconciliation,
  reports: Reports,
  fiscal: Fiscal,
  dashboard: Dashboard,
  users: Users,
};

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}

type SessionState = { kind: 'checking' } | { kind: 'signed-out'; expired: boolean } | { kind: 'signed-in'; session: Session };

function Shell() {
  const { t } = useI18n();
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ kind: 'signed-in', session });
  }, []);

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(null);
      setState((s) => ({ kind: 'signed-out', expired: s.kind === 'signed-in' }));
    });
    get<Session>('/session').then(signedIn, () => setState({ kind: 'signed-out', expired: false }));
  }, [signedIn]);

  return (
    <ErrorBoundary fallbackTitle={t('error.boundary')} retry={t('common.retry')}>
      {state.kind === 'checking' && <Loading />}
      {state.kind === 'signed-out' && <SignIn expired={state.expired} onSignedIn={signedIn} />}
      {state.kind === 'signed-in' && (
        <Layout session={state.session} onSignedOut={() => setState({ kind: 'signed-out', expired: false })} />
      )}
    </ErrorBoundary>
  );
}

function Layout({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { t, lang, setLang } = useI18n();
  const path = usePath();
  const pages = pagesOf(session.role);
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const requested = path.split('/')[0] as PageName;
  const current: PageName | null = pages.includes(requested) ? requested : null;

  useEffect(() => {
    const home = homeOf(session.role);
    if (!current && home && path === '') navigate(home);
  }, [current, path, session.role]);

  const signOut = async () => {
    try {
      await post('/session/logout');
      setCsrfToken(null);
      onSignedOut();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      setSignOutError(e);
    }
  };

  const Page = current ? PAGES[current] : null;
  return (
    <div className="layout">
      <header>
        <span className="brand">Kopek</span>
        <nav data-testid="nav">
          {pages.map((page) => (
            <a
              key={page}
              href={`/console/${page}`}
              className={page === current ? 'active' : undefined}
              data-testid={`nav-${page}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(page);
              }}
            >
              {t(`nav.${page}` as Key)}
            </a>
          ))}
        </nav>
        <span className="who" data-testid="who">
          {session.display_name} · {t(`role.${session.role}` as Key)}
        </span>
        <select
          aria-label={t('common.language')}
          value={lang}
          onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'ru')}
          data-testid="lang"
        >
          <option value="ru">RU</option>
          <option value="en">EN</option>
        </select>
        <button type="button" onClick={signOut} data-testid="sign-out">
          {t('nav.signOut')}
        </button>
      </header>
      <ErrorMessage error={signOutError} />
      <main>
        {pages.length === 0 && <p data-testid="no-pages">{t('nav.noPages')}</p>}
        {pages.length > 0 && !Page && path !== '' && <p data-testid="not-found">{t('nav.notFound')}</p>}
        {Page && (
          <ErrorBoundary key={current} fallbackTitle={t('error.boundary')} retry={t('common.retry')}>
            <Page session={session} />
          </ErrorBoundary>
        )}
      </main>
    </div>
  );
}
