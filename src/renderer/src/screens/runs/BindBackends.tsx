// An imported run's backends that need a connection: the user picks one of their own saved
// connections for each and binds them (runs.bind); until then Resume and Fork stay off.
import { useEffect, useId, useState } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

interface Props {
  studio: StudioApi;
  runId: string;
  needsConnection: NonNullable<RunSummary['needsConnection']>;
  onBound: () => void;
}

export function BindBackends({ studio, runId, needsConnection, onBound }: Props) {
  const [connections, setConnections] = useState<string[] | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const baseId = useId();

  useEffect(() => {
    let live = true;
    studio.connections
      .list()
      .then((list) => live && setConnections(Object.keys(list)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [studio]);

  const complete = needsConnection.every((b) => choice[b.backend]);
  const bind = async () => {
    setBusy(true);
    setError(null);
    try {
      await studio.runs.bind(runId, choice);
      onBound();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="runs-panel bind-backends" aria-labelledby={`${baseId}-title`} data-testid="bind-backends">
      <h3 id={`${baseId}-title`}>Needs a connection</h3>
      <p className="runs-muted">
        This run was imported: its backends' servers and keys were left behind. Pick one of your saved connections for
        each to resume or fork it.
      </p>
      {connections?.length === 0 && (
        <p className="runs-muted">You have no saved connection yet: add one on the Connections screen first.</p>
      )}
      {needsConnection.map(({ backend, plugin }, i) => (
        <div className="runs-field" key={backend}>
          <label htmlFor={`${baseId}-${i}`}>
            {backend}
            {plugin ? ` (was ${plugin})` : ''}
          </label>
          <select
            id={`${baseId}-${i}`}
            data-testid={`bind-${backend}`}
            value={choice[backend] ?? ''}
            onChange={(e) => setChoice({ ...choice, [backend]: e.target.value })}
          >
            <option value="">needs a connection</option>
            {(connections ?? []).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button type="button" data-testid="bind-run" disabled={!complete || busy} onClick={() => void bind()}>
        {busy ? 'Binding…' : 'Bind'}
      </button>
      {error && (
        <p className="runs-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
