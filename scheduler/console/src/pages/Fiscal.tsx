import { useState } from 'react';
import { get, post } from '../api/client';
import { toQuery } from '../api/query';
import type { BacklogRow, FailedReceipt, Page, Session } from '../api/types';
import { may } from '../auth/roles';
import { useI18n } from '../i18n/I18n';
import { useLoad, usePaged } from '../ui/hooks';
import { ListState, MoreButton } from '../ui/parts';
import { ReasonDialog } from '../ui/ReasonDialog';

/** A cell of a row whose columns the console does not know in advance (the view fiscal_unfiscalized). */
function cell(value: unknown, i18n: ReturnType<typeof useI18n>): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object' && 'amount' in value && 'currency' in value) {
    return i18n.moneyOf(value as { amount: number; currency: string });
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return i18n.dateTime(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function Fiscal({ session }: { session: Session }) {
  const i18n = useI18n();
  const { t, num, dateTime, moneyOf, code } = i18n;
  const backlog = useLoad(() => get<BacklogRow[]>('/fiscal/backlog'), []);
  const failed = usePaged((cursor) => get<Page<FailedReceipt>>(`/fiscal/failed${toQuery({ cursor, limit: 20 })}`), []);
  const unfiscalized = usePaged(
    (cursor) => get<Page<Record<string, unknown>>>(`/fiscal/unfiscalized${toQuery({ cursor, limit: 20 })}`),
    [],
  );
  const [resend, setResend] = useState<FailedReceipt | null>(null);
  const canResend = may(session.role, 'resend-receipt');
  const columns = unfiscalized.items.length ? Object.keys(unfiscalized.items[0]) : [];

  return (
    <section data-testid="page-fiscal">
      <h2>{t('nav.fiscal')}</h2>
      <h3>{t('fiscal.backlog')}</h3>
      <ListState error={backlog.error} loading={backlog.loading} count={backlog.data?.length ?? 0} emptyTestId="backlog-empty">
        <table data-testid="backlog">
          <thead>
            <tr>
              <th>{t('fiscal.state')}</th>
              <th>{t('fiscal.count')}</th>
              <th>{t('fiscal.oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {(backlog.data ?? []).map((b) => (
              <tr key={b.state}>
                <td>{code('receipt', b.state)}</td>
                <td>{num(b.count)}</td>
                <td>{dateTime(b.oldest_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>

      <h3>{t('fiscal.failed')}</h3>
      <ListState error={failed.error} loading={failed.loading} count={failed.items.length} emptyTestId="failed-empty">
        <table data-testid="failed">
          <thead>
            <tr>
              <th>{t('fiscal.receipt')}</th>
              <th>{t('fiscal.kind')}</th>
              <th>{t('fiscal.invoice')}</th>
              <th>{t('fiscal.total')}</th>
              <th>{t('fiscal.reason')}</th>
              <th>{t('fiscal.updated')}</th>
              {canResend && <th />}
            </tr>
          </thead>
          <tbody>
            {failed.items.map((r) => (
              <tr key={r.receipt_id} data-testid={`failed-${r.receipt_id}`}>
                <td>{r.receipt_id}</td>
                <td>{code('receiptKind', r.kind)}</td>
                <td>{r.invoice_id ?? '—'}</td>
                <td>{moneyOf(r.total)}</td>
                <td className="error-text">{r.reason ?? '—'}</td>
                <td>{dateTime(r.updated_at)}</td>
                {canResend && (
                  <td>
                    <button type="button" onClick={() => setResend(r)} data-testid="resend">
                      {t('fiscal.resend')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={failed.hasMore} loading={failed.loading} onMore={failed.more} />

      <h3>{t('fiscal.unfiscalized')}</h3>
      <ListState
        error={unfiscalized.error}
        loading={unfiscalized.loading}
        count={unfiscalized.items.length}
        emptyTestId="unfiscalized-empty"
      >
        <table data-testid="unfiscalized">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {unfiscalized.items.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{cell(row[c], i18n)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ListState>
      <MoreButton hasMore={unfiscalized.hasMore} loading={unfiscalized.loading} onMore={unfiscalized.more} />

      {resend && (
        <ReasonDialog
          title={t('fiscal.resendTitle', { id: resend.receipt_id })}
          onConfirm={async (reason) => {
            await post(`/receipts/${resend.receipt_id}/resend`, { reason });
            failed.reload();
            backlog.reload();
          }}
          onClose={() => setResend(null)}
        />
      )}
    </section>
  );
}
