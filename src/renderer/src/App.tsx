// The studio's first screen: the runs in the user-data folder, live from the service API. The
// other screens (connections, reward criteria, the live beam view) build on the same client.
import { useEffect, useState } from 'react';
import type { RunSummary } from '../../shared/studioApi';
import { connectStudio } from './studioClient';

const studio = connectStudio();

export function App() {
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
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 860, margin: '40px auto', lineHeight: 1.5 }}>
      <h1>DRPO Studio</h1>
      <p>Align a language model without training it: Dynamic Rewarding with Prompt Optimization.</p>
      {error && <p role="alert">Cannot reach the studio service: {error}</p>}
      <h2>Runs</h2>
      {runs?.length === 0 && <p>No runs yet. Start one from the command line: <code>drpo-studio optimize --config my-run.json</code>.</p>}
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
              <tr key={run.id}>
                <td>{run.id}</td>
                <td>{run.stage}</td>
                <td>{run.status}</td>
                <td align="right">{run.nodeCount}</td>
                <td align="right">{run.calls}</td>
                <td align="right">{run.bestScore?.toFixed(2) ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
