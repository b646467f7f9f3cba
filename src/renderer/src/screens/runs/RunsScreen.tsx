// The runs in the user-data folder, live from the service API.
import { useEffect, useState } from 'react';
import type { RunSummary, StudioApi } from '../../../../shared/studioApi';

export function RunsScreen({ studio }: { studio: StudioApi }) {
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const refresh = () =>
      studio.runs
        .list()
        .then((list) => {
          setRuns(list);
          setError(null);
        })
        .catch((e: unknown) => setError((e as Error).message));
    void refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [studio]);

  return (
    <section data-testid="screen-runs">
      <h2>Runs</h2>
      {error && <p role="alert">Cannot reach the studio service: {error}</p>}
      {runs?.length === 0 && (
        <p>
          No runs yet. Start one from the command line: <code>drpo-studio optimize --config my-run.json</code>.
        </p>
      )}
      {runs && runs.length > 0 && (
        <table>
          <thead>
            <tr>
              <th align="left">Run</th>
              <th align="left">Stage</th>
              <th align="left">Status</th>
              <th align="right">Nodes</th>
              <th align="right">Calls</th>
              <th align="right">Best score</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row">
                <td>{run.id}</td>
                <td>{run.stage}</td>
                <td data-testid="run-status">{run.status}</td>
                <td align="right">{run.nodeCount}</td>
                <td align="right">{run.calls}</td>
                <td align="right">{run.bestScore?.toFixed(2) ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
