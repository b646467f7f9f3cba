// A Remove button that asks first, inline ("Remove run X? Remove / Keep"): a removal cannot be
// undone, and an inline question is answered by keyboard, mouse and headless tests alike, which
// window.confirm is not.
import { useState } from 'react';
import { errorMessage } from '../shell/format';

interface Props {
  /** What is removed, as the question names it ("run 20260101-…"). */
  label: string;
  onRemove: () => Promise<void>;
  disabled?: boolean;
  /** Why it is disabled, or what it does. */
  title?: string;
  /** The button's test id; the question's buttons add -confirm and -keep. */
  testId: string;
}

export function ConfirmRemove({ label, onRemove, disabled = false, title, testId }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await onRemove();
      setAsking(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="confirm-remove">
      {asking ? (
        <fieldset className="plain-group confirm-remove__question" aria-label={`Remove ${label}?`}>
          <span>Remove {label}?</span>{' '}
          <button
            type="button"
            className="danger small"
            disabled={busy}
            onClick={() => void remove()}
            data-testid={`${testId}-confirm`}
          >
            {busy ? 'Removing…' : 'Remove'}
          </button>{' '}
          <button
            type="button"
            className="small"
            disabled={busy}
            onClick={() => setAsking(false)}
            data-testid={`${testId}-keep`}
          >
            Keep
          </button>
        </fieldset>
      ) : (
        <button type="button" disabled={disabled} title={title} onClick={() => setAsking(true)} data-testid={testId}>
          Remove
        </button>
      )}
      {error && (
        <span className="alert confirm-remove__error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
