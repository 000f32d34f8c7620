import { useState } from 'react';
import { get } from '../../api/client';
import { auditQuery, type AuditFilter } from '../../api/query';
import type { AuditEntry, Page } from '../../api/types';
import { useI18n } from '../../i18n/I18n';
import { usePaged } from '../../ui/hooks';
import { ListState, MoreButton } from '../../ui/parts';

export const AUDIT_ACTIONS = [
  'schedule_changed',
  'schedule_paused',
  'schedule_resumed',
  'schedule_triggered',
  'job_triggered',
  'job_stopped',
  'job_restarted',
  'chain_started',
  'catch_up_started',
];

export function Audit() {
  const { t, dateTime, code } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const entries = usePaged(
    (cursor) => get<Page<AuditEntry>>(`/audit${auditQuery(filter, cursor)}`),
    [filter.action, filter.from, filter.to],
  );
  return (
    <div data-testid="audit">
      <div className="filters">
        <label>
          {t('audit.action')}
          <select value={filter.action ?? ''} onChange={(e) => setFilter({ ...filter, action: e.target.value })} data-testid="audit-action">
            <option value="">{t('common.any')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {code('audit', a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('common.from')}
          <input type="date" value={filter.from ?? ''} onChange={(e) => setFilter({ ...filter, from: e.target.value })} />
        </label>
        <label>
          {t('common.to')}
          <input type="date" value={filter.to ?? ''} onChange={(e) => setFilter({ ...filter, to: e.target.value })} />
        </label>
      </div>
      <ListState error={entries.error} loading={entries.loading} count={entries.items.length}>
        <table>
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.target')}</th>
              <th>{t('audit.details')}</th>
              <th>{t('audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.items.map((e) => (
              <tr key={e.id} data-testid={`audit-${e.id}`}>
                <td>{dateTime(e.at)}</td>
                <td>
                  {e.actor}
                  <div className="hint">{code('role', e.role)}</div>
                </td>
                <td>{code('audit', e.action)}</td>
                <td>{e.target}</td>
                <td>
                  {Object.entries(e.details ?? {}).map(([k, v]) => (
                    <div key={k}>
                      {k}: {v}
                    </div>
                  ))}
                </td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={entries.hasMore} loading={entries.loading} onMore={entries.more} />
    </div>
  );
}
