import { useMemo, useState } from 'react';
import { get, post } from '../api/client';
import { ApiError } from '../api/problem';
import { discrepanciesQuery, resolveBody, toQuery, type DiscrepancyFilter, type ResolveSelection } from '../api/query';
import type { Discrepancy, Page, ReconciliationRun, Session } from '../api/types';
import { may } from '../auth/roles';
import { useI18n } from '../i18n/I18n';
import { addDays, businessDateOf } from '../i18n/format';
import { Chart } from '../ui/Chart';
import { useLoad, usePaged } from '../ui/hooks';
import { Empty, ErrorMessage, ListState, Loading, MoreButton } from '../ui/parts';
import { ReasonDialog } from '../ui/ReasonDialog';
import { KNOWN_PROVIDERS } from './jobs/providers';

export const RESULT_CLASSES = [
  'matched',
  'amount_mismatch',
  'fee_mismatch',
  'missing_in_registry',
  'missing_in_ledger',
  'duplicate_in_registry',
  'status_mismatch',
  'other_day',
];

const DISCREPANCY_STATUSES = ['open', 'resolved', 'cleared'];

/**
 * Resolves the selection in one call; a platform without the bulk endpoint (before issue 16) gets one call per
 * ticked discrepancy instead. Such a platform answers an unknown endpoint with 403 (its access check runs before
 * routing), so 403 falls back too: a role really not allowed gets its 403 from the per-id call.
 */
async function resolve(selection: ResolveSelection, resolution: string): Promise<number> {
  try {
    const answer = await post<{ resolved: number }>('/discrepancies/resolve', resolveBody(selection, resolution));
    return answer.resolved;
  } catch (e) {
    if (!(e instanceof ApiError) || ![403, 404, 405].includes(e.status) || !('ids' in selection)) throw e;
    for (const id of selection.ids) await post(`/discrepancies/${id}/resolve`, { resolution });
    return selection.ids.length;
  }
}

export function Reconciliation({ session }: { session: Session }) {
  const i18n = useI18n();
  const { t, num, money, dateTime, code } = i18n;
  const [provider, setProvider] = useState(KNOWN_PROVIDERS[0]);
  const [day, setDay] = useState(addDays(businessDateOf(new Date()), -1));
  const runs = useLoad(
    () =>
      provider && day
        ? get<ReconciliationRun[]>(`/reconciliation/runs${toQuery({ provider, from: day, to: day })}`)
        : Promise.resolve([]),
    [provider, day],
  );
  const run = (runs.data ?? []).find((r) => r.business_date === day) ?? null;
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);

  const reconcile = async () => {
    setStarting(true);
    setStartError(null);
    try {
      await post('/reconciliation/runs', { provider, business_date: day });
      runs.reload();
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  };

  const classes = useMemo(
    () => RESULT_CLASSES.filter((c) => run?.summary?.results?.[c]).map((c) => ({ code: c, ...run!.summary!.results[c] })),
    [run],
  );
  const option = useMemo(
    () => ({
      tooltip: {},
      grid: { left: 160, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value' as const },
      yAxis: { type: 'category' as const, inverse: true, data: classes.map((c) => code('result', c.code)) },
      series: [{ type: 'bar' as const, data: classes.map((c) => c.count), itemStyle: { color: '#3b6ea5' } }],
    }),
    [classes, code],
  );

  return (
    <section data-testid="page-reconciliation">
      <h2>{t('nav.reconciliation')}</h2>
      <div className="filters">
        <label>
          {t('common.provider')}
          <input list="recon-providers" value={provider} onChange={(e) => setProvider(e.target.value.trim())} data-testid="recon-provider" />
          <datalist id="recon-providers">
            {KNOWN_PROVIDERS.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </label>
        <label>
          {t('common.businessDate')}
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="recon-day" />
        </label>
        {(may(session.role, 'control-jobs') || session.role === 'accountant') && (
          <button type="button" onClick={reconcile} disabled={starting || !provider || !day} data-testid="recon-run">
            {t('recon.run')}
          </button>
        )}
      </div>
      <ErrorMessage error={startError} />
      <ErrorMessage error={runs.error} />
      {runs.loading && !runs.data && <Loading />}
      {!runs.loading && !runs.error && !run && <Empty testId="recon-no-run">{t('recon.noRun')}</Empty>}
      {run && (
        <div className="run-summary" data-testid="recon-run-summary" data-run-id={run.id}>
          <dl className="totals">
            <dt>{t('recon.status')}</dt>
            <dd data-testid="recon-status">{code('recon', run.status)}</dd>
            <dt>{t('recon.registryLines')}</dt>
            <dd>{num(run.registry_lines)}</dd>
            <dt>{t('recon.ledgerOperations')}</dt>
            <dd>{num(run.ledger_operations)}</dd>
            {run.summary?.settlement && (
              <>
                <dt>{t('recon.registrySettles')}</dt>
                <dd>{money(run.summary.settlement.registry_settles, 'RUB')}</dd>
                <dt>{t('recon.ledgerExpects')}</dt>
                <dd>{money(run.summary.settlement.ledger_expects, 'RUB')}</dd>
                <dt>{t('recon.commission')}</dt>
                <dd>{money(run.summary.settlement.registry_commission, 'RUB')}</dd>
              </>
            )}
            <dt>{t('recon.finished')}</dt>
            <dd>{dateTime(run.finished_at)}</dd>
          </dl>
          <div className="split">
            <table data-testid="recon-classes">
              <thead>
                <tr>
                  <th>{t('recon.result')}</th>
                  <th>{t('recon.count')}</th>
                  <th>{t('recon.amount')}</th>
                </tr>
              </thead>
              <tbody>
                {classes.map((c) => (
                  <tr key={c.code}>
                    <td>{code('result', c.code)}</td>
                    <td>{num(c.count)}</td>
                    <td>{money(c.amount, 'RUB')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Chart option={option} testId="recon-chart" points={classes.length} height={240} />
          </div>
        </div>
      )}
      {provider && day && (
        <Discrepancies provider={provider} day={day} canResolve={may(session.role, 'resolve-discrepancy')} />
      )}
    </section>
  );
}

function Discrepancies({ provider, day, canResolve }: { provider: string; day: string; canResolve: boolean }) {
  const { t, moneyOf, dateTime, code } = useI18n();
  const [resultClass, setResultClass] = useState('');
  const [status, setStatus] = useState('open');
  const filter: DiscrepancyFilter = { provider, business_date: day, result_class: resultClass, status };
  const list = usePaged(
    (cursor) => get<Page<Discrepancy>>(`/discrepancies${discrepanciesQuery(filter, cursor)}`),
    [provider, day, resultClass, status],
  );
  // The server filters by class once it knows how (issue 16); until then the page does.
  const items = list.items.filter((d) => !resultClass || d.result === resultClass);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [dialog, setDialog] = useState<ResolveSelection | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const open = items.filter((d) => d.status === 'open');

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <div data-testid="discrepancies">
      <h3>{t('recon.discrepancies')}</h3>
      <div className="filters">
        <label>
          {t('recon.result')}
          <select value={resultClass} onChange={(e) => setResultClass(e.target.value)} data-testid="disc-result">
            <option value="">{t('common.any')}</option>
            {RESULT_CLASSES.filter((c) => c !== 'matched').map((c) => (
              <option key={c} value={c}>
                {code('result', c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('recon.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="disc-status">
            <option value="">{t('common.any')}</option>
            {DISCREPANCY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {code('disc', s)}
              </option>
            ))}
          </select>
        </label>
        {canResolve && (
          <>
            <button
              type="button"
              disabled={selected.size === 0}
              onClick={() => setDialog({ ids: [...selected] })}
              data-testid="resolve-selected"
            >
              {t('recon.resolveSelected', { count: selected.size })}
            </button>
            <button
              type="button"
              disabled={open.length === 0}
              onClick={() => setDialog({ filter: { ...filter, status: 'open' } })}
              data-testid="resolve-matching"
            >
              {t('recon.resolveMatching')}
            </button>
          </>
        )}
      </div>
      {done !== null && (
        <p className="notice" data-testid="resolved-count">
          {t('recon.resolvedCount', { count: done })}
        </p>
      )}
      <ListState error={list.error} loading={list.loading} count={items.length} emptyTestId="disc-empty">
        <table data-testid="disc-list">
          <thead>
            <tr>
              {canResolve && <th />}
              <th>{t('recon.item')}</th>
              <th>{t('recon.result')}</th>
              <th>{t('recon.why')}</th>
              <th>{t('recon.amount')}</th>
              <th>{t('recon.status')}</th>
              <th>{t('recon.resolvedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid={`disc-${d.id}`} data-status={d.status}>
                {canResolve && (
                  <td>
                    <input
                      type="checkbox"
                      disabled={d.status !== 'open'}
                      checked={selected.has(d.id)}
                      onChange={() => toggle(d.id)}
                      aria-label={d.item_key}
                      data-testid="disc-select"
                    />
                  </td>
                )}
                <td>{d.item_key}</td>
                <td>{code('result', d.result)}</td>
                <td>{d.why ?? '—'}</td>
                <td>{moneyOf(d.amount)}</td>
                <td>{code('disc', d.status)}</td>
                <td data-testid="disc-resolution">
                  {d.resolved_by ? (
                    <>
                      {d.resolved_by}, {dateTime(d.resolved_at)}
                      <div className="hint">{d.resolution}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
      {dialog && (
        <ReasonDialog
          title={'ids' in dialog ? t('recon.resolveSelected', { count: dialog.ids.length }) : t('recon.resolveMatching')}
          reasonLabel={t('recon.comment')}
          onConfirm={async (comment) => {
            setDone(await resolve(dialog, comment));
            setSelected(new Set());
            list.reload();
          }}
          onClose={() => setDialog(null)}
          testId="resolve-dialog"
        />
      )}
    </div>
  );
}
