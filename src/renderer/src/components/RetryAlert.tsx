// A load that failed: what could not be loaded, the error, and a Retry button (every screen's list loads).
import type { ReactNode } from 'react';

interface Props {
  /** What failed, in bold ("Cannot load the datasets."). */
  title: ReactNode;
  message: string;
  onRetry: () => void;
  testId?: string;
}

export function RetryAlert({ title, message, onRetry, testId }: Props) {
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <strong>{title}</strong> {message}{' '}
      <button type="button" className="small" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
