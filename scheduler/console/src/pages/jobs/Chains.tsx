import { useState } from 'react';
import { get, post } from '../../api/client';
import { toQuery } from '../../api/query';
import type { Chain, MissedChain, Page } from '../../api/types';
import { useI18n } from '../../i18n/I18n';
import { addDays, businessDateOf } from '../../i18n/format';
import { useLoad, usePaged } from '../../ui/hooks';
import { ListState, MoreButton } from '../../ui/parts';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { KNOWN_PROVIDERS } from './providers';

export function Chains({ control }: { control: boolean }) {
  const { t, date, dateTime, code } = useI18n();
  const [provider, setProvider] = useState('');
  const chains = usePaged((cursor) => get<Page<Chain>>(`/chains${toQuery({ provider, cursor, limit: 20 })}`), [provider]);
  const missed = useLoad(() => get<MissedChain[]>(`/chains/missed${toQuery({ provider })}`), [provider]);
  const [dialog, setDialog] = useState<'catch-up' | 'start' | null>(null);
  const [start, setStart] = useState({ provider: KNOWN_PROVIDERS[0], business_date: addDays(businessDateOf(new Date()), -1) });
  const missedList = missed.data ?? [];

  return (
    <div data-testid="chains">
      <div className="filters">
        <label>
          {t('common.provider')}
          <input list="providers" value={provider} onChange={(e) => setProvider(e.target.value)} placeholder={t('common.all')} data-testid="chains-provider" />
        </label>
        {control && (
          <button type="button" onClick={() => setDialog('start')} data-testid="chain-start">
            {t('chains.start')}
          </button>
        )}
      </div>
      <datalist id="providers">
        {KNOWN_PROVIDERS.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>

      <h3>{t('chains.missed')}</h3>
      <ListState error={missed.error} loading={missed.loading} count={missedList.length} emptyTestId="missed-empty">
        <table data-testid="missed">
          <thead>
            <tr>
              <th>{t('common.provider')}</th>
              <th>{t('common.businessDate')}</th>
              <th>{t('chains.steps')}</th>
            </tr>
          </thead>
          <tbody>
            {missedList.map((m) => (
              <tr key={`${m.provider}-${m.business_date}`}>
                <td>{m.provider}</td>
                <td>{date(m.business_date)}</td>
                <td>{m.steps.map((s) => code('step', s)).join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {control && (
          <button type="button" className="primary" onClick={() => setDialog('catch-up')} data-testid="catch-up">
            {t('chains.catchUp', { count: missedList.length })}
          </button>
        )}
      </ListState>

      <h3>{t('chains.title')}</h3>
      <ListState error={chains.error} loading={chains.loading} count={chains.items.length}>
        <table data-testid="chain-list">
          <thead>
            <tr>
              <th>{t('common.provider')}</th>
              <th>{t('common.businessDate')}</th>
              <th>{t('chains.state')}</th>
              <th>{t('chains.trigger')}</th>
              <th>{t('chains.steps')}</th>
              <th>{t('runs.created')}</th>
            </tr>
          </thead>
          <tbody>
            {chains.items.map((c) => (
              <tr key={c.id} data-testid={`chain-${c.id}`} data-state={c.state}>
                <td>{c.provider}</td>
                <td>{date(c.business_date)}</td>
                <td>
                  <span className={`status status-${c.state}`}>{code('chain', c.state)}</span>
                  {c.error && <div className="error-text">{c.error}</div>}
                </td>
                <td>{code('trigger', c.trigger)}</td>
                <td>
                  <ol className="steps">
                    {c.steps.map((s) => (
                      <li key={s.step} className={`step-${s.state}`} title={s.error ?? undefined}>
                        {code('step', s.step)}: {code('chain', s.state)}
                        {s.job_run_id ? ` (#${s.job_run_id})` : ''}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>{dateTime(c.started_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={chains.hasMore} loading={chains.loading} onMore={chains.more} />

      {dialog === 'catch-up' && (
        <ReasonDialog
          title={t('chains.catchUpTitle', { provider: provider || t('common.all') })}
          onConfirm={async (reason) => {
            await post('/chains/catch-up', { provider: provider || undefined, reason });
            chains.reload();
            missed.reload();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'start' && (
        <ReasonDialog
          title={t('chains.start')}
          onConfirm={async (reason) => {
            await post('/chains', { ...start, reason });
            chains.reload();
            missed.reload();
          }}
          onClose={() => setDialog(null)}
        >
          <label>
            {t('common.provider')}
            <input list="providers" value={start.provider} onChange={(e) => setStart({ ...start, provider: e.target.value })} required data-testid="chain-provider" />
          </label>
          <label>
            {t('common.businessDate')}
            <input type="date" value={start.business_date} onChange={(e) => setStart({ ...start, business_date: e.target.value })} required data-testid="chain-date" />
          </label>
        </ReasonDialog>
      )}
    </div>
  );
}
