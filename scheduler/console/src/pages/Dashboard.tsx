import { useMemo, useState, type ReactElement } from 'react';
import type { EChartsOption } from 'echarts';
import { get } from '../api/client';
import { toQuery } from '../api/query';
import type { BacklogRow, DiscrepancyCount, ExpiringHold, TurnoverRow } from '../api/types';
import { currenciesOf, discrepancySeries, HOLD_BUCKETS, holdBuckets, turnoverSeries } from '../dashboard/series';
import { useI18n } from '../i18n/I18n';
import { addDays, businessDateOf, daysBetween } from '../i18n/format';
import { Chart } from '../ui/Chart';
import { useLoad } from '../ui/hooks';
import { Empty, ErrorMessage, Loading } from '../ui/parts';

export function Dashboard() {
  const i18n = useI18n();
  const { t, date, code, moneyOf, dateTime } = i18n;
  const today = businessDateOf(new Date());
  const [from, setFrom] = useState(addDays(today, -13));
  const [to, setTo] = useState(today);
  const days = useMemo(() => daysBetween(from, to), [from, to]);
  const labels = days.map((d) => date(d));

  const turnover = useLoad(() => get<TurnoverRow[]>(`/dashboard/turnover${toQuery({ from, to })}`), [from, to]);
  const discrepancies = useLoad(() => get<DiscrepancyCount[]>(`/dashboard/discrepancies${toQuery({ from, to })}`), [from, to]);
  const backlog = useLoad(() => get<BacklogRow[]>('/dashboard/fiscal-backlog'), []);
  const holds = useLoad(() => get<ExpiringHold[]>(`/dashboard/holds-expiring${toQuery({ within: 'PT48H' })}`), []);

  const currency = currenciesOf(turnover.data ?? [])[0] ?? 'RUB';
  const turnoverOption = useMemo<EChartsOption>(() => {
    const series = turnoverSeries(turnover.data ?? [], days, currency);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => i18n.money(Math.round(Number(v) * 100), currency) },
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', name: currency, axisLabel: { formatter: (v: number) => i18n.num(v) } },
      series: series.map((s) => ({ type: 'bar', stack: 'turnover', name: s.name, data: s.data })),
    };
  }, [turnover.data, days, labels.join(), currency, i18n]);

  const discrepancyOption = useMemo<EChartsOption>(() => {
    const series = discrepancySeries(discrepancies.data ?? [], days);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.num(v) } },
      series: series.map((s) => ({ type: 'bar', stack: 'classes', name: code('result', s.name), data: s.data })),
    };
  }, [discrepancies.data, days, labels.join(), code, i18n]);

  const backlogOption = useMemo<EChartsOption>(
    () => ({
      tooltip: {},
      grid: { left: 50, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'category', data: (backlog.data ?? []).map((b) => code('receipt', b.state)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.num(v) } },
      series: [{ type: 'bar', data: (backlog.data ?? []).map((b) => b.count), itemStyle: { color: '#c07a2c' } }],
    }),
    [backlog.data, code, i18n],
  );

  const holdsOption = useMemo<EChartsOption>(
    () => ({
      tooltip: {},
      grid: { left: 50, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'category', data: HOLD_BUCKETS.map((h) => t('dashboard.withinHours', { hours: h })) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => i18n.num(v) } },
      series: [{ type: 'bar', data: holdBuckets(holds.data ?? [], new Date()), itemStyle: { color: '#6a4fa3' } }],
    }),
    [holds.data, t, i18n],
  );

  const panel = (title: string, testId: string, loaded: { error: unknown; loading: boolean; data?: unknown[] }, chart: ReactElement) => (
    <div className="panel" data-testid={`panel-${testId}`}>
      <h3>{title}</h3>
      {loaded.error ? (
        <ErrorMessage error={loaded.error} />
      ) : loaded.loading && !loaded.data ? (
        <Loading />
      ) : !loaded.data?.length ? (
        <Empty testId={`${testId}-empty`} />
      ) : (
        chart
      )}
    </div>
  );

  return (
    <section data-testid="page-dashboard">
      <h2>{t('nav.dashboard')}</h2>
      <div className="filters">
        <label>
          {t('common.from')}
          <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="dash-from" />
        </label>
        <label>
          {t('common.to')}
          <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="dash-to" />
        </label>
      </div>
      <div className="panels">
        {panel(t('dashboard.turnover'), 'turnover', turnover, (
          <Chart option={turnoverOption} testId="chart-turnover" points={turnover.data?.length ?? 0} />
        ))}
        {panel(t('dashboard.discrepancies'), 'discrepancies', discrepancies, (
          <Chart option={discrepancyOption} testId="chart-discrepancies" points={discrepancies.data?.length ?? 0} />
        ))}
        {panel(t('dashboard.fiscalBacklog'), 'backlog', backlog, (
          <Chart option={backlogOption} testId="chart-backlog" points={backlog.data?.length ?? 0} />
        ))}
        {panel(t('dashboard.holds'), 'holds', holds, (
          <>
            <Chart option={holdsOption} testId="chart-holds" points={holds.data?.length ?? 0} height={200} />
            <table data-testid="holds">
              <thead>
                <tr>
                  <th>{t('dashboard.hold')}</th>
                  <th>{t('dashboard.customer')}</th>
                  <th>{t('recon.amount')}</th>
                  <th>{t('dashboard.expires')}</th>
                  <th>{t('common.provider')}</th>
                </tr>
              </thead>
              <tbody>
                {(holds.data ?? []).slice(0, 10).map((h) => (
                  <tr key={h.hold_id}>
                    <td>{h.hold_id}</td>
                    <td>{h.customer_id}</td>
                    <td>{moneyOf(h.amount)}</td>
                    <td>{dateTime(h.expires_at)}</td>
                    <td>{h.provider ?? h.source ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ))}
      </div>
    </section>
  );
}
