import { useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18n';
import { ErrorMessage } from './parts';

export const MAX_REASON = 1000;

/**
 * Every action of the console asks why (the audit log keeps the answer). The dialog stays open with the API's
 * message when the action is refused.
 */
export function ReasonDialog({
  title,
  onConfirm,
  onClose,
  children,
  reasonLabel,
  testId = 'reason-dialog',
}: {
  title: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
  children?: ReactNode;
  reasonLabel?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overlay">
      <form className="dialog" role="dialog" aria-modal="true" aria-label={title} onSubmit={submit} data-testid={testId}>
        <h3>{title}</h3>
        {children}
        <label>
          {reasonLabel ?? t('dialog.reason')}
          <textarea
            required
            maxLength={MAX_REASON}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="reason-input"
            autoFocus
          />
        </label>
        <ErrorMessage error={error} testId="dialog-error" />
        <div className="buttons">
          <button type="button" onClick={onClose} disabled={busy} data-testid="reason-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !reason.trim()} data-testid="reason-confirm">
            {t('common.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
