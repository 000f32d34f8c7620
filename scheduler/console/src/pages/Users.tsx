import { useState } from 'react';
import { get, post } from '../api/client';
import { toQuery } from '../api/query';
import type { Page, User } from '../api/types';
import { useI18n } from '../i18n/I18n';
import { usePaged } from '../ui/hooks';
import { ErrorMessage, ListState, MoreButton } from '../ui/parts';

const STAFF_ROLES = ['operator', 'accountant', 'finance', 'admin'];

export function Users() {
  const { t, code, dateTime } = useI18n();
  const users = usePaged((cursor) => get<Page<User>>(`/users${toQuery({ cursor, limit: 50 })}`), []);
  const [form, setForm] = useState({ login: '', display_name: '', role: 'operator', password: '' });
  const [formError, setFormError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [resetting, setResetting] = useState<{ user: User; password: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async () => {
    setFormError(null);
    try {
      const user = await post<User>('/users', form);
      setForm({ login: '', display_name: '', role: form.role, password: '' });
      setNotice(t('users.created', { login: user.login }));
      users.reload();
    } catch (e) {
      setFormError(e);
    }
  };

  const act = async (user: User, action: 'disable' | 'enable') => {
    setActionError(null);
    try {
      await post<User>(`/users/${user.id}/${action}`);
      users.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  const reset = async () => {
    if (!resetting) return;
    setActionError(null);
    try {
      await post<User>(`/users/${resetting.user.id}/password`, { password: resetting.password });
      setNotice(t('users.passwordReset', { login: resetting.user.login }));
      setResetting(null);
      users.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <section data-testid="page-users">
      <h2>{t('nav.users')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
        data-testid="user-form"
      >
        <label>
          {t('users.login')}
          <input value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} required data-testid="user-login" />
        </label>
        <label>
          {t('users.name')}
          <input value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} required data-testid="user-name" />
        </label>
        <label>
          {t('users.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })} data-testid="user-role">
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {code('role', r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('users.password')}
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
            data-testid="user-password"
          />
        </label>
        <button type="submit" className="primary" data-testid="user-create">
          {t('users.create')}
        </button>
      </form>
      <ErrorMessage error={formError} />
      {notice && (
        <p className="notice" data-testid="users-notice">
          {notice}
        </p>
      )}
      <ErrorMessage error={actionError} />
      {resetting && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void reset();
          }}
          data-testid="reset-form"
        >
          <label>
            {t('users.newPassword', { login: resetting.user.login })}
            <input
              type="password"
              autoComplete="new-password"
              value={resetting.password}
              onChange={(e) => setResetting({ ...resetting, password: e.target.value })}
              required
              data-testid="reset-password"
            />
          </label>
          <button type="submit" className="primary" data-testid="reset-confirm">
            {t('users.reset')}
          </button>
          <button type="button" onClick={() => setResetting(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      <ListState error={users.error} loading={users.loading} count={users.items.length}>
        <table data-testid="users">
          <thead>
            <tr>
              <th>{t('users.login')}</th>
              <th>{t('users.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.state')}</th>
              <th>{t('users.lastSignIn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.items.map((u) => (
              <tr key={u.id} data-testid={`user-${u.login}`}>
                <td>{u.login}</td>
                <td>{u.display_name}</td>
                <td>{code('role', u.role)}</td>
                <td>
                  {u.disabled ? t('users.disabled') : t('users.enabled')}
                  {u.locked_until && new Date(u.locked_until) > new Date() && (
                    <div className="hint">{t('users.lockedUntil', { at: dateTime(u.locked_until) })}</div>
                  )}
                </td>
                <td>{dateTime(u.last_sign_in_at)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setResetting({ user: u, password: '' })} data-testid="user-reset">
                    {t('users.reset')}
                  </button>
                  {u.disabled ? (
                    <button type="button" onClick={() => act(u, 'enable')} data-testid="user-enable">
                      {t('users.enable')}
                    </button>
                  ) : (
                    <button type="button" onClick={() => act(u, 'disable')} data-testid="user-disable">
                      {t('users.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={users.hasMore} loading={users.loading} onMore={users.more} />
    </section>
  );
}
