import { useState } from 'react';
import { get, post } from '../../api/client';
import type { Schedule } from '../../api/types';
import { useI18n } from '../../i18n/I18n';
import { useLoad } from '../../ui/hooks';
import { ListState } from '../../ui/parts';
import { ReasonDialog } from '../../ui/ReasonDialog';

type Action = 'pause' | 'resume' | 'trigger' | 'cron';

export function Schedules({ control }: { control: boolean }) {
  const { t, dateTime, code } = useI18n();
  const schedules = useLoad(() => get<Schedule[]>('/schedules'), []);
  const [action, setAction] = useState<{ action: Action; schedule: Schedule } | null>(null);
  const [cron, setCron] = useState('');
  const list = schedules.data ?? [];

  const confirm = async (reason: string) => {
    if (!action) return;
    const { schedule } = action;
    const path = `/schedules/${encodeURIComponent(schedule.name)}/${action.action}`;
    await post(path, action.action === 'cron' ? { cron, reason } : { reason });
    schedules.reload();
  };

  return (
    <div data-testid="schedules">
      <ListState error={schedules.error} loading={schedules.loading} count={list.length}>
        <table>
          <thead>
            <tr>
              <th>{t('schedules.name')}</th>
              <th>{t('schedules.cron')}</th>
              <th>{t('schedules.next')}</th>
              <th>{t('schedules.previous')}</th>
              <th>{t('schedules.state')}</th>
              {control && <th />}
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.name} data-testid={`schedule-${s.name}`}>
                <td>
                  <strong>{s.name}</strong>
                  {s.description && <div className="hint">{s.description}</div>}
                </td>
                <td>
                  <code>{s.cron}</code>
                  {s.default_cron && s.default_cron !== s.cron && (
                    <div className="hint">
                      {t('schedules.default')}: <code>{s.default_cron}</code>
                    </div>
                  )}
                  {s.time_zone && <div className="hint">{s.time_zone}</div>}
                </td>
                <td>{s.paused ? '—' : dateTime(s.next_fire_at)}</td>
                <td>{dateTime(s.previous_fire_at)}</td>
                <td>
                  {s.paused ? t('schedules.paused') : t('schedules.active')}
                  {s.running && <span className="badge">{t('schedules.running')}</span>}
                  {s.misfire && <div className="hint">{code('misfire', s.misfire)}</div>}
                </td>
                {control && (
                  <td className="actions">
                    {s.paused ? (
                      <button type="button" onClick={() => setAction({ action: 'resume', schedule: s })} data-testid="schedule-resume">
                        {t('schedules.resume')}
                      </button>
                    ) : (
                      <button type="button" onClick={() => setAction({ action: 'pause', schedule: s })} data-testid="schedule-pause">
                        {t('schedules.pause')}
                      </button>
                    )}
                    <button type="button" onClick={() => setAction({ action: 'trigger', schedule: s })} data-testid="schedule-trigger">
                      {t('schedules.trigger')}
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setCron(s.cron);
                        setAction({ action: 'cron', schedule: s });
                      }}
                      data-testid="schedule-cron"
                    >
                      {t('schedules.changeCron')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      {action && (
        <ReasonDialog
          title={`${t(`schedules.${action.action === 'cron' ? 'changeCron' : action.action}`)}: ${action.schedule.name}`}
          onConfirm={confirm}
          onClose={() => setAction(null)}
        >
          {action.action === 'cron' && (
            <label>
              {t('schedules.cron')}
              <input value={cron} onChange={(e) => setCron(e.target.value)} required data-testid="cron-input" />
              <span className="hint">{t('schedules.cronHint')}</span>
            </label>
          )}
        </ReasonDialog>
      )}
    </div>
  );
}
