import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ApiError, problemMessage } from '../api/problem';
import { useI18n, type I18n } from '../i18n/I18n';

/** An error as a person reads it: the problem's title and detail, or the status in words. */
export function messageOf(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return i18n.t('error.network');
    return problemMessage(error.problem, error.status, (status) => i18n.t('error.status', { status }));
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorMessage({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const i18n = useI18n();
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid={testId}>
      {messageOf(error, i18n)}
    </div>
  );
}

export function Empty({ children, testId = 'empty' }: { children?: ReactNode; testId?: string }) {
  const { t } = useI18n();
  return (
    <p className="empty" data-testid={testId}>
      {children ?? t('common.empty')}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <p className="loading">{t('common.loading')}</p>;
}

export function ProgressBar({ value, testId }: { value: number; testId?: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      data-testid={testId}
      data-progress={value}
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
      <span className="progress-label">{value} %</span>
    </div>
  );
}

export function MoreButton({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  const { t } = useI18n();
  if (!hasMore) return null;
  return (
    <button type="button" className="more" disabled={loading} onClick={onMore} data-testid="more">
      {t('common.more')}
    </button>
  );
}

/** A list's standard states: its error, loading, "empty", or the list itself. */
export function ListState({
  error,
  loading,
  count,
  children,
  emptyTestId,
}: {
  error: unknown;
  loading: boolean;
  count: number;
  children: ReactNode;
  emptyTestId?: string;
}) {
  if (error) return <ErrorMessage error={error} />;
  if (loading && count === 0) return <Loading />;
  if (count === 0) return <Empty testId={emptyTestId} />;
  return <>{children}</>;
}

interface BoundaryState {
  error: Error | null;
}

/** A rendering bug shows its message and a way back, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; fallbackTitle: string; retry: string }, BoundaryState> {
  state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console error', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error boundary" role="alert" data-testid="error-boundary">
        <h2>{this.props.fallbackTitle}</h2>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}
