// At the top of the New run form filled from a run: which run, what of its config the form could
// not take (listed, never dropped silently), and connections that are no longer saved.
import { useEffect, useRef } from 'react';
import type { RunAgainPrefill } from './useRunAgain';
import './compare/compare.css';

interface Props {
  prefill: RunAgainPrefill;
  /** The saved connections' names, once listed. */
  savedConnections: readonly string[] | null;
  onClear: () => void;
}

export function RunAgainNotice({ prefill, savedConnections, onClear }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const lines = 'error' in prefill ? [] : [...prefill.notCarried];
  if (!('error' in prefill) && savedConnections) {
    const { connection, roleConnections } = prefill.values;
    for (const name of new Set([connection, ...Object.values(roleConnections)]))
      if (name && !savedConnections.includes(name))
        lines.push(`connection "${name}" is no longer saved: the form picks another`);
  }
  return (
    <div className="runs-notice run-again-notice" role="status" data-testid="run-again-notice" ref={ref}>
      {'error' in prefill ? (
        <p className="runs-error">
          Cannot read run {prefill.runId}'s config: {prefill.error}
        </p>
      ) : (
        <p>
          Filled from run <code>{prefill.runId}</code>: change what you like, then Estimate and Start.
        </p>
      )}
      {lines.length > 0 && (
        <>
          <p>Not carried over (the form cannot hold it; the new run uses the default):</p>
          <ul data-testid="run-again-not-carried">
            {lines.map((line) => (
              // A config leaf ("path = value") as code; a sentence as text.
              <li key={line}>{line.includes(' = ') ? <code>{line}</code> : line}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" onClick={onClear}>
        Start from the defaults
      </button>
    </div>
  );
}
