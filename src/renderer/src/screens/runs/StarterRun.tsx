// The guide's second step: the ready-made small run on a connection, its calls shown before it
// starts (as the New run form does), then started and opened.
import { useEffect, useId, useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { STARTER_RUN, starterRunRequest } from './starterRun';

type Estimate = Awaited<ReturnType<StudioApi['runs']['estimate']>>;

export function StarterRun(props: {
  studio: StudioApi;
  connections: string[];
  initial: string;
  onStarted: (id: string) => void;
}) {
  const { studio, connections, onStarted } = props;
  const id = useId();
  const [connection, setConnection] = useState(props.initial);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setEstimate(null);
    studio.runs
      .estimate(starterRunRequest(connection))
      .then(setEstimate)
      .catch(() => setEstimate(null)); // the estimate is a courtesy: Start still says what is wrong
  }, [studio, connection]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      onStarted((await studio.runs.start(starterRunRequest(connection))).id);
    } catch (e) {
      setError(errorMessage(e));
      setStarting(false);
    }
  };

  const total = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);
  const calls = estimate && `${total(estimate.planned)} model calls (up to ${total(estimate.worstCase)})`;
  return (
    <div className="stack" data-testid="starter-run">
      <div className="field">
        <label htmlFor={`${id}-connection`}>Connection</label>
        <select
          id={`${id}-connection`}
          data-testid="starter-connection"
          value={connection}
          onChange={(e) => setConnection(e.target.value)}
        >
          {connections.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <p className="help">
        A small run on the starter data: the first {STARTER_RUN.seedLimit} seed queries, beam width {STARTER_RUN.width},{' '}
        {STARTER_RUN.samples} rewrites per prompt, depth {STARTER_RUN.depth}
        {calls ? `: ${calls}.` : '.'} The same model answers, judges and rewrites (self-alignment).
      </p>
      {estimate?.fitness.refusals.map((refusal) => (
        <p key={refusal} className="alert" role="alert">
          {refusal}
        </p>
      ))}
      {error && (
        <div className="alert" role="alert" data-testid="starter-error">
          {error}
        </div>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="start-starter-run"
          disabled={starting || !connection}
          onClick={() => void start()}
        >
          {starting ? 'Starting…' : 'Start the small run'}
        </button>
      </div>
    </div>
  );
}
