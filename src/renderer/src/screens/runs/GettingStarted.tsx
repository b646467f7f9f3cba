// The first-run guide, on the Runs screen while no run exists yet: connect a model (a server
// already running here, a small model downloaded, or an API endpoint typed in Connections), then
// start a ready-made small run. It offers; it never saves or starts anything by itself.
import { useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { DetectServersPanel } from '../../components/detect/DetectServersPanel';
import { ModelDownloadPanel } from '../../components/ModelDownloadPanel';
import { StarterRun } from './StarterRun';
import './gettingStarted.css';

type Way = 'detect' | 'download';
const WAYS: { id: Way; label: string }[] = [
  { id: 'detect', label: 'Find a local server' },
  { id: 'download', label: 'Download a small model' },
];

export function GettingStarted(props: {
  studio: StudioApi;
  /** The saved connections' names, in order. */
  connections: string[];
  onConnectionSaved: (name: string) => void;
  onStarted: (id: string) => void;
  onOpenConnections: () => void;
}) {
  const { studio, connections, onConnectionSaved, onStarted, onOpenConnections } = props;
  const [way, setWay] = useState<Way | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const connected = saved ?? connections[0];
  const onSaved = (name: string) => {
    setSaved(name);
    setWay(null);
    onConnectionSaved(name);
  };

  return (
    <section
      className="runs-panel getting-started stack"
      aria-labelledby="getting-started-title"
      data-testid="getting-started"
    >
      <h3 id="getting-started-title">Get started</h3>
      <p className="muted">
        The studio works offline and sends nothing anywhere except to the model servers you configure.
      </p>
      <ol className="getting-started__steps">
        <li className={connected ? 'done' : undefined}>
          <strong>Connect a model.</strong>{' '}
          {connected ? (
            <span data-testid="guide-connected">Connected: {connected}.</span>
          ) : (
            'Use a model server already running on this machine, download a small model to run here, or enter an API endpoint.'
          )}
          {!connected && (
            <div className="row getting-started__ways">
              {WAYS.map(({ id, label }) => (
                <button
                  key={id}
                  type="button"
                  data-testid={`guide-${id}`}
                  aria-pressed={way === id}
                  onClick={() => setWay(id)}
                >
                  {label}
                </button>
              ))}
              <button type="button" data-testid="guide-endpoint" onClick={onOpenConnections}>
                Enter an API endpoint…
              </button>
            </div>
          )}
          {!connected && way === 'detect' && <DetectServersPanel studio={studio} onSaved={onSaved} detectOnOpen />}
          {!connected && way === 'download' && <ModelDownloadPanel studio={studio} onSaved={onSaved} />}
        </li>
        <li>
          <strong>Start a small run</strong> and watch the beam grow.
          {connected && (
            <StarterRun
              studio={studio}
              connections={saved && !connections.includes(saved) ? [saved, ...connections] : connections}
              initial={connected}
              onStarted={onStarted}
            />
          )}
        </li>
      </ol>
    </section>
  );
}
