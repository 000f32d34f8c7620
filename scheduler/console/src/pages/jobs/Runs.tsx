import { useEffect, useRef, useState } from 'react';
import { API_BASE, get, post } from '../../api/client';
import { jobRunsQuery, type RunFilter } from '../../api/query';
import type { Job, JobRun, Page } from '../../api/types';
import { useI18n } from '../../i18n/I18n';
import { businessDateOf, addDays } from '../../i18n/format';
import { isRestartable, isRunning, mergeRun, progressOf, runningOf, visibleParameters } from '../../jobs/runs';
import { useLoad, usePaged } from '../../ui/hooks';
import { Empty, ErrorMessage, ListState, MoreButton, ProgressBar } from '../../ui/parts';
import { ReasonDialog } from '../../ui/ReasonDialog';

export const RUN_STATUSES = ['STARTING', 'STARTED', 'STOPPING', 'STOPPED', 'COMPLETED', 'FAILED', 'ABANDONED', 'UNKNOWN'];

/** The platform before issue 16 listed job names only; both shapes are read. */
function jobsOf(answer: (Job | string)[]): Job[] {
  return answer.map((j) => (typeof j === 'string' ? { name: j, parameters: [] } : { ...j, parameters: j.parameters ?? [] }));
}

/**
 * The runs the server reports over SSE (every change of every run); when the stream is not available (an older
 * platform, a proxy that buffers) the runs this page knows to be running are polled instead.
 */
function useLiveRuns(initial: JobRun[]) {
  const [runs, setRuns] = useState<JobRun[]>([]);
  const [finished, setFinished] = useState<Set<number>>(new Set());
  const [streaming, setStreaming] = useState(false);
  const runsRef = useRef(runs);
  runsRef.current = runs;

  const merge = (run: JobRun) => {
    const known = runsRef.current.find((r) => r.id === run.id);
    if (known && isRunning(known) && !isRunning(run)) setFinished((f) => new Set(f).add(run.id));
    setRuns((old) => mergeRun(old, run));
  };

  /** A run this page started or restarted: shown in the running list even when it finished before the answer. */
  const track = (run: JobRun) => {
    if (!isRunning(run)) setFinished((f) => new Set(f).add(run.id));
    merge(run);
  };

  useEffect(() => {
    setRuns((old) => initial.reduce(mergeRun, old));
  }, [initial]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API_BASE}/job-runs/events`, { withCredentials: true });
    source.addEventListener('open', () => setStreaming(true));
    source.addEventListener('run', (event) => {
      try {
        const run = JSON.parse((event as MessageEvent<string>).data) as JobRun;
        if (!runsRef.current.some((r) => r.id === run.id) && !isRunning(run)) return;
        merge(run);
      } catch {
        // A malformed event is skipped; the next one carries the whole run again.
      }
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        setStreaming(false);
        // A 401 closes the stream silently: ask the session, whose 401 sends the app to the sign-in page.
        get('/session').catch(() => {});
      }
    });
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (streaming) return;
    const timer = setInterval(() => {
      for (const run of runsRef.current.filter(isRunning)) {
        get<JobRun>(`/job-runs/${run.id}`).then(merge, () => {});
      }
    }, 1500);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streaming]);

  return { runs, finished, track, streaming };
}

export function Runs({ control }: { control: boolean }) {
  const { t, code } = useI18n();
  const jobs = useLoad(() => get<(Job | string)[]>('/jobs').then(jobsOf), []);
  const [filter, setFilter] = useState<RunFilter>({});
  const history = usePaged(
    (cursor) => get<Page<JobRun>>(`/job-runs${jobRunsQuery(filter, cursor)}`),
    [filter.job, filter.status, filter.from, filter.to],
  );
  const [initial, setInitial] = useState<JobRun[]>([]);
  useEffect(() => {
    setInitial(history.items.filter(isRunning));
  }, [history.items]);
  const live = useLiveRuns(initial);
  const [starting, setStarting] = useState(false);
  const [action, setAction] = useState<{ kind: 'stop' | 'restart'; run: JobRun } | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const running = runningOf(live.runs, live.finished);
  const shown = history.items.map((r) => live.runs.find((l) => l.id === r.id) ?? r);

  const act = async (reason: string) => {
    if (!action) return;
    const run = await post<JobRun>(`/job-runs/${action.run.id}/${action.kind}`, { reason });
    live.track(run);
    history.reload();
  };

  return (
    <div data-testid="runs">
      <div className="toolbar">
        {control && (
          <button type="button" className="primary" onClick={() => setStarting(true)} data-testid="start-job">
            {t('runs.start')}
          </button>
        )}
        <span className="hint" data-testid="live-mode">
          {live.streaming ? t('runs.live') : t('runs.polling')}
        </span>
      </div>

      <h3>{t('runs.running')}</h3>
      {running.length === 0 ? (
        <Empty testId="running-empty">{t('runs.noneRunning')}</Empty>
      ) : (
        <table data-testid="running">
          <tbody>
            {running.map((run) => (
              <tr key={run.id} data-testid={`running-${run.id}`} data-status={run.status}>
                <td>#{run.id}</td>
                <td>
                  <strong>{run.job}</strong>
                  <div className="hint">{visibleParameters(run).map(([k, v]) => `${k}=${v}`).join(', ')}</div>
                </td>
                <td className="wide">
                  <ProgressBar value={progressOf(run)} testId={`run-progress-${run.id}`} />
                </td>
                <td>{code('status', run.status)}</td>
                <td>
                  {control && isRunning(run) && (
                    <button type="button" onClick={() => setAction({ kind: 'stop', run })} data-testid="run-stop">
                      {t('runs.stop')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('runs.history')}</h3>
      <div className="filters" data-testid="history-filters">
        <label>
          {t('runs.job')}
          <select value={filter.job ?? ''} onChange={(e) => setFilter({ ...filter, job: e.target.value })} data-testid="filter-job">
            <option value="">{t('common.any')}</option>
            {(jobs.data ?? []).map((j) => (
              <option key={j.name} value={j.name}>
                {j.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('runs.status')}
          <select value={filter.status ?? ''} onChange={(e) => setFilter({ ...filter, status: e.target.value })} data-testid="filter-status">
            <option value="">{t('common.any')}</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {code('status', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('common.from')}
          <input type="date" value={filter.from ?? ''} onChange={(e) => setFilter({ ...filter, from: e.target.value })} data-testid="filter-from" />
        </label>
        <label>
          {t('common.to')}
          <input type="date" value={filter.to ?? ''} onChange={(e) => setFilter({ ...filter, to: e.target.value })} data-testid="filter-to" />
        </label>
      </div>
      <ListState error={history.error} loading={history.loading} count={shown.length} emptyTestId="history-empty">
        <table data-testid="history">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('runs.job')}</th>
              <th>{t('runs.parameters')}</th>
              <th>{t('runs.status')}</th>
              <th>{t('runs.created')}</th>
              <th>{t('runs.ended')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((run) => (
              <RunRow
                key={run.id}
                run={run}
                open={open === run.id}
                onToggle={() => setOpen(open === run.id ? null : run.id)}
                control={control}
                onAction={(kind) => setAction({ kind, run })}
              />
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={history.hasMore} loading={history.loading} onMore={history.more} />

      {starting && (
        <StartDialog
          jobs={jobs.data ?? []}
          jobsError={jobs.error}
          onClose={() => setStarting(false)}
          onStarted={(run) => {
            live.track(run);
            history.reload();
          }}
        />
      )}
      {action && (
        <ReasonDialog
          title={`${t(action.kind === 'stop' ? 'runs.stop' : 'runs.restart')}: ${action.run.job} #${action.run.id}`}
          onConfirm={act}
          onClose={() => setAction(null)}
        />
      )}
      {!control && <p className="hint">{t('runs.readOnly')}</p>}
    </div>
  );
}

function RunRow({
  run,
  open,
  onToggle,
  control,
  onAction,
}: {
  run: JobRun;
  open: boolean;
  onToggle: () => void;
  control: boolean;
  onAction: (kind: 'stop' | 'restart') => void;
}) {
  const { t, dateTime, code, num, duration } = useI18n();
  return (
    <>
      <tr data-testid={`run-${run.id}`} data-status={run.status}>
        <td>
          <button type="button" className="link" onClick={onToggle} aria-expanded={open} data-testid="run-details">
            #{run.id}
          </button>
        </td>
        <td>{run.job}</td>
        <td className="hint">{visibleParameters(run).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}</td>
        <td>
          <span className={`status status-${run.status.toLowerCase()}`}>{code('status', run.status)}</span>
          {isRunning(run) && <ProgressBar value={progressOf(run)} />}
        </td>
        <td>{dateTime(run.created_at ?? run.started_at)}</td>
        <td>{dateTime(run.ended_at)}</td>
        <td className="actions">
          {control && isRunning(run) && (
            <button type="button" onClick={() => onAction('stop')} data-testid="run-stop">
              {t('runs.stop')}
            </button>
          )}
          {control && isRestartable(run) && (
            <button type="button" onClick={() => onAction('restart')} data-testid="run-restart">
              {t('runs.restart')}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="details">
          <td colSpan={7}>
            {run.exit_description && <pre className="error">{run.exit_description}</pre>}
            {run.restart_of && <p>{t('runs.restartOf', { id: run.restart_of })}</p>}
            <table data-testid={`steps-${run.id}`}>
              <thead>
                <tr>
                  <th>{t('runs.step')}</th>
                  <th>{t('runs.status')}</th>
                  <th>{t('runs.read')}</th>
                  <th>{t('runs.written')}</th>
                  <th>{t('runs.duration')}</th>
                  <th>{t('runs.progress')}</th>
                  <th>{t('runs.error')}</th>
                </tr>
              </thead>
              <tbody>
                {(run.steps ?? []).map((s) => (
                  <tr key={s.name}>
                    <td>{s.name}</td>
                    <td>{code('status', s.status)}</td>
                    <td>{num(s.read)}</td>
                    <td>{num(s.written)}</td>
                    <td>{duration(s.duration_ms)}</td>
                    <td>{s.progress == null ? '—' : `${s.progress} %`}</td>
                    <td className="error-text">{s.error ?? (s.status === 'FAILED' ? s.exit_description : '') ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {run.summary && Object.keys(run.summary).length > 0 && (
              <pre className="summary">{JSON.stringify(run.summary, null, 2)}</pre>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** Parameters a job takes when the platform does not list them (before issue 16): the settlement jobs' own. */
const COMMON_PARAMETERS = [
  { name: 'provider', kind: 'text', required: false },
  { name: 'businessDate', kind: 'date', required: false },
] as const;

function StartDialog({
  jobs,
  jobsError,
  onClose,
  onStarted,
}: {
  jobs: Job[];
  jobsError: unknown;
  onClose: () => void;
  onStarted: (run: JobRun) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(jobs[0]?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>({
    businessDate: addDays(businessDateOf(new Date()), -1),
  });
  const job = jobs.find((j) => j.name === name);
  const parameters = job && job.parameters.length ? job.parameters : COMMON_PARAMETERS;

  const start = async (reason: string) => {
    const given: Record<string, string> = {};
    for (const p of parameters) if (values[p.name]?.trim()) given[p.name] = values[p.name].trim();
    const run = await post<JobRun>(`/jobs/${encodeURIComponent(name)}/runs`, { parameters: given, reason });
    onStarted(run);
  };

  return (
    <ReasonDialog title={t('runs.start')} onConfirm={start} onClose={onClose} testId="start-dialog">
      <ErrorMessage error={jobsError} />
      <label>
        {t('runs.job')}
        <select value={name} onChange={(e) => setName(e.target.value)} required data-testid="start-job-name">
          {jobs.map((j) => (
            <option key={j.name} value={j.name}>
              {j.name}
            </option>
          ))}
        </select>
      </label>
      {parameters.map((p) => (
        <label key={p.name}>
          {p.name}
          {p.required ? ' *' : ''}
          <input
            type={p.kind === 'date' ? 'date' : p.kind === 'long' ? 'number' : 'text'}
            required={p.required}
            value={values[p.name] ?? ''}
            onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
            data-testid={`param-${p.name}`}
          />
        </label>
      ))}
    </ReasonDialog>
  );
}
