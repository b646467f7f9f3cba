// "Download a model": the catalog of small instruct models (size, licence, what each is good
// for), a field for any hf:owner/repo/file.gguf or URL, and the download's progress with its speed
// and time left. Once the file is whole and checked, the studio has saved a llama-cpp connection
// for it and `onSaved` gets its name. Used by the Connections screen and the first-run guide.
import { useEffect, useState } from 'react';
import { bytesOf, pullProgressText } from '../../../shared/downloadProgress';
import type { CatalogModelDto, StudioApi } from '../../../shared/studioApi';
import { errorMessage } from '../shell/format';
import { type PullState, useModelPull } from './useModelPull';

export function ModelDownloadPanel({ studio, onSaved }: { studio: StudioApi; onSaved: (connection: string) => void }) {
  const [catalog, setCatalog] = useState<CatalogModelDto[] | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const pull = useModelPull(studio, (done) => onSaved(done.connection));
  const busy = pull.state.status === 'pulling';

  useEffect(() => {
    studio.models
      .catalog()
      .then(setCatalog)
      .catch((e: unknown) => setCatalogError(errorMessage(e)));
  }, [studio]);

  return (
    <section className="panel" data-testid="model-download">
      <h2>Download a model</h2>
      <p className="muted">
        Small instruct models that run on a laptop, as GGUF files for the embedded backend (llama-cpp). Each keeps its
        own licence. A stopped download resumes where it stopped.
      </p>
      {catalogError && (
        <p className="alert" role="alert">
          {catalogError}
        </p>
      )}
      <ul className="stack" style={{ listStyle: 'none', padding: 0 }} aria-label="Model catalog">
        {(catalog ?? []).map((m) => (
          <li key={m.id} className="row" data-testid={`catalog-${m.id}`}>
            <div style={{ flex: 1, minWidth: '16rem' }}>
              <strong>{m.name}</strong> <span className="muted">{bytesOf(m.sizeBytes, null)}</span> ·{' '}
              <a href={m.licenceUrl} target="_blank" rel="noreferrer">
                {m.licence}
              </a>
              <div className="muted small">{m.note}</div>
            </div>
            <button type="button" disabled={busy} onClick={() => pull.start(m.source)} data-testid={`download-${m.id}`}>
              Download
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          pull.start(source.trim());
        }}
      >
        <input
          aria-label="Model source"
          placeholder="hf:owner/repo/file.gguf or https://…/file.gguf"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          style={{ flex: 1, minWidth: '18rem' }}
          data-testid="model-source"
        />
        <button type="submit" disabled={busy || !source.trim()} data-testid="download-source">
          Download
        </button>
      </form>
      <PullStatus state={pull.state} onCancel={pull.cancel} />
    </section>
  );
}

function PullStatus({ state, onCancel }: { state: PullState; onCancel: () => void }) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'pulling': {
      const p = state.progress;
      const label = `Downloading ${state.source}`;
      return (
        <div className="row" role="status" data-testid="pull-progress" style={{ marginTop: '0.75rem' }}>
          {/* Without a total the bar is indeterminate. */}
          <progress aria-label={label} max={p?.totalBytes} value={p?.totalBytes ? p.downloadedBytes : undefined} />
          <span>{p ? pullProgressText(p) : 'Connecting…'}</span>
          <button type="button" onClick={onCancel} data-testid="cancel-pull">
            Cancel
          </button>
        </div>
      );
    }
    case 'done':
      return (
        <div className="notice-ok" role="status" data-testid="pull-done" style={{ marginTop: '0.75rem' }}>
          Downloaded {state.done.path} ({bytesOf(state.done.sizeBytes, null)}) and saved connection “
          {state.done.connection}”.
        </div>
      );
    case 'failed':
      return (
        <div className="alert" role="alert" data-testid="pull-error" style={{ marginTop: '0.75rem' }}>
          <strong>Download failed.</strong> {state.error}
        </div>
      );
    case 'cancelled':
      return (
        <p className="muted" role="status" data-testid="pull-cancelled" style={{ marginTop: '0.75rem' }}>
          Cancelled. Download it again to resume where it stopped.
        </p>
      );
  }
}
