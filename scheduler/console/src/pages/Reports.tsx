import { useEffect, useState } from 'react';
import { API_BASE, get, post } from '../api/client';
import { reportFilters, toQuery } from '../api/query';
import type { Report, ReportRun, Session } from '../api/types';
import { may } from '../auth/roles';
import { useI18n } from '../i18n/I18n';
import { addDays, businessDateOf } from '../i18n/format';
import { useLoad } from '../ui/hooks';
import { ErrorMessage, ListState, Loading } from '../ui/parts';
import { KNOWN_PROVIDERS } from './jobs/providers';

const CUSTOMER_TYPES = ['individual', 'sole_proprietor', 'company'];
const FINAL = new Set(['succeeded', 'failed', 'expired']);
/** The catalogue sends a report's filters as a set; the form shows them in this order (Filter's). */
const FILTER_ORDER = ['from', 'to', 'provider', 'merchant', 'status', 'category', 'customer_type', 'customer', 'min_amount', 'max_amount'];
const byFilterOrder = (a: string, b: string) => FILTER_ORDER.indexOf(a) - FILTER_ORDER.indexOf(b);

export function Reports({ session }: { session: Session }) {
  const { t, code, num, dateTime } = useI18n();
  const catalogue = useLoad(() => get<Report[]>('/reports'), []);
  const runs = useLoad(() => get<ReportRun[]>(`/report-runs${toQuery({ limit: 20 })}`), []);
  const [name, setName] = useState('');
  const [format, setFormat] = useState('xlsx');
  const yesterday = addDays(businessDateOf(new Date()), -1);
  const [values, setValues] = useState<Record<string, string>>({ from: addDays(yesterday, -6), to: yesterday });
  const [current, setCurrent] = useState<ReportRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const report = (catalogue.data ?? []).find((r) => r.report === name) ?? catalogue.data?.[0];
  const canRequest = may(session.role, 'request-report');
  const reloadRuns = runs.reload;

  useEffect(() => {
    if (report && !report.formats.includes(format)) setFormat(report.formats[0]);
  }, [report, format]);

  // Follows the requested run until it is done: the batch role picks it up within seconds.
  useEffect(() => {
    if (!current || FINAL.has(current.state)) return;
    const timer = setTimeout(() => {
      get<ReportRun>(`/report-runs/${current.id}`).then(
        (run) => {
          setCurrent(run);
          if (FINAL.has(run.state)) reloadRuns();
        },
        setError,
      );
    }, 1000);
    return () => clearTimeout(timer);
  }, [current, reloadRuns]);

  const request = async () => {
    if (!report) return;
    setBusy(true);
    setError(null);
    try {
      const given: Record<string, string> = {};
      for (const f of report.filters) if (values[f]) given[f] = values[f];
      setCurrent(await post<ReportRun>('/report-runs', { report: report.report, format, filters: reportFilters(given) }));
      runs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const input = (filter: string) => {
    const common = {
      value: values[filter] ?? '',
      required: report?.required.includes(filter),
      'data-testid': `report-filter-${filter}`,
    };
    const set = (v: string) => setValues({ ...values, [filter]: v });
    if (filter === 'from' || filter === 'to') return <input type="date" {...common} onChange={(e) => set(e.target.value)} />;
    if (filter === 'status' && report?.statuses.length)
      return (
        <select {...common} onChange={(e) => set(e.target.value)}>
          <option value="">{t('common.any')}</option>
          {report.statuses.map((s) => (
            <option key={s} value={s}>
              {code('result', s)}
            </option>
          ))}
        </select>
      );
    if (filter === 'customer_type')
      return (
        <select {...common} onChange={(e) => set(e.target.value)}>
          <option value="">{t('common.any')}</option>
          {CUSTOMER_TYPES.map((c) => (
            <option key={c} value={c}>
              {code('customerType', c)}
            </option>
          ))}
        </select>
      );
    if (filter === 'provider') return <input list="report-providers" {...common} onChange={(e) => set(e.target.value)} />;
    const numeric = filter === 'customer' || filter === 'min_amount' || filter === 'max_amount';
    return <input type={numeric ? 'number' : 'text'} {...common} onChange={(e) => set(e.target.value)} />;
  };

  return (
    <section data-testid="page-reports">
      <h2>{t('nav.reports')}</h2>
      <ErrorMessage error={catalogue.error} />
      {catalogue.loading && <Loading />}
      {report && canRequest && (
        <form
          className="report-form"
          onSubmit={(e) => {
            e.preventDefault();
            void request();
          }}
          data-testid="report-form"
        >
          <label>
            {t('reports.report')}
            <select value={report.report} onChange={(e) => setName(e.target.value)} data-testid="report-name">
              {(catalogue.data ?? []).map((r) => (
                <option key={r.report} value={r.report}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.format')}
            <select value={format} onChange={(e) => setFormat(e.target.value)} data-testid="report-format">
              {report.formats.map((f) => (
                <option key={f} value={f}>
                  {code('format', f)}
                </option>
              ))}
            </select>
          </label>
          {[...report.filters].sort(byFilterOrder).map((f) => (
            <label key={f}>
              {code('filter', f)}
              {report.required.includes(f) ? ' *' : ''}
              {input(f)}
            </label>
          ))}
          <datalist id="report-providers">
            {KNOWN_PROVIDERS.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          <button type="submit" className="primary" disabled={busy} data-testid="report-request">
            {t('reports.request')}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
      {current && (
        <div className="notice" data-testid="report-current" data-state={current.state} data-run-id={current.id}>
          #{current.id}: {code('reportState', current.state)}
          {current.state === 'running' && ` (${num(current.progress_rows)} ${t('reports.rows')})`}
          {current.failure && <div className="error-text">{current.failure}</div>}
          {/* The answer's Content-Disposition: attachment makes the link a download (the page stays). No download
              attribute: with it Chromium fetches the file apart from the page, which headless runs see canceled. */}
          {current.state === 'succeeded' && (
            <a href={`${API_BASE}/report-runs/${current.id}/file`} className="download" data-testid="report-download">
              {t('reports.download')} {current.file_name ?? ''}
            </a>
          )}
        </div>
      )}
      <h3>{t('reports.recent')}</h3>
      <ListState error={runs.error} loading={runs.loading} count={runs.data?.length ?? 0}>
        <table data-testid="report-runs">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('reports.report')}</th>
              <th>{t('reports.format')}</th>
              <th>{t('reports.state')}</th>
              <th>{t('reports.requested')}</th>
              <th>{t('reports.rows')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(runs.data ?? []).map((r) => (
              <tr key={r.id} data-testid={`report-run-${r.id}`} data-state={r.state}>
                <td>{r.id}</td>
                <td>{catalogue.data?.find((c) => c.report === r.report)?.title ?? r.report}</td>
                <td>{code('format', r.format)}</td>
                <td>
                  {code('reportState', r.state)}
                  {r.failure && <div className="error-text">{r.failure}</div>}
                </td>
                <td>
                  {dateTime(r.requested_at)}
                  <div className="hint">{r.requested_by}</div>
                </td>
                <td>{num(r.row_count)}</td>
                <td>
                  {r.state === 'succeeded' && canRequest && (
                    <a href={`${API_BASE}/report-runs/${r.id}/file`}>
                      {t('reports.download')}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
    </section>
  );
}
