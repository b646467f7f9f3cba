// The connections runs and experiments use now, live: each one's concurrency limit (found by the
// studio, or pinned by the config) and why, and its calls in flight, queued and waiting on an
// overloaded server. Asked for every second while the screen is shown.
import { useCallback } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { usePolled } from '../../shell/usePolled';

const EVERY_MS = 1000;

export function ConnectionActivityPanel({ studio }: { studio: StudioApi }) {
  const load = useCallback(() => studio.connections.activity(), [studio]);
  const { value, error } = usePolled(load, EVERY_MS);
  return (
    <section className="panel" data-testid="connection-activity" aria-labelledby="connection-activity-title">
      <h3 id="connection-activity-title" style={{ marginTop: 0 }}>
        In use now
      </h3>
      {error && (
        <p className="alert" role="alert">
          Cannot read what the connections are doing: {error}
        </p>
      )}
      {value?.length === 0 && <p className="muted small">No run or experiment is using a connection.</p>}
      {value && value.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Connection</th>
              <th scope="col">Limit</th>
              <th scope="col">In flight</th>
              <th scope="col">Queued</th>
              <th scope="col">Waiting on overload</th>
              <th scope="col">Runs and experiments</th>
            </tr>
          </thead>
          <tbody>
            {value.map((c, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a config's own backend may bear a saved connection's name; the rows keep no state
              <tr key={`${index}:${c.connection}`} data-testid={`connection-activity-${c.connection}`}>
                <th scope="row">{c.connection}</th>
                <td data-testid="activity-limit">
                  {c.limit} ({c.mode})<div className="muted small">{c.reason}</div>
                </td>
                <td data-testid="activity-in-flight">{c.inFlight}</td>
                <td data-testid="activity-queued">{c.queued}</td>
                <td data-testid="activity-waiting">{c.waitingOnOverload}</td>
                <td>{c.users}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
