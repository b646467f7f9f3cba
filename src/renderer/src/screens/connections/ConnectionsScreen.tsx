// Connections: the saved backends runs name, each a plugin plus its settings. The form comes
// from the plugin's own settings schema; secrets are only ever references (env:NAME, or store:NAME in the desktop app).
import { useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { DetectServersPanel } from '../../components/detect/DetectServersPanel';
import { ModelDownloadPanel } from '../../components/ModelDownloadPanel';
import { RetryAlert } from '../../components/RetryAlert';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ConnectionActivityPanel } from './ConnectionActivityPanel';
import { ConnectionCard } from './ConnectionCard';
import { ConnectionForm } from './ConnectionForm';
import { KeyStorePanel } from './KeyStorePanel';
import { EMBEDDED_PLUGIN, usable } from './plugins';
import { UnusablePlugins } from './UnusablePlugins';
import { useConnections } from './useConnections';

export function ConnectionsScreen({ studio }: { studio: StudioApi }) {
  const state = useConnections(studio);
  const { plugins, connections, loadError, form, tests, notice, listError, openForm } = state;
  const names = connections ? Object.keys(connections).sort((a, b) => a.localeCompare(b)) : [];
  const unusable = (plugins ?? []).filter((p) => !usable(p));
  const [downloading, setDownloading] = useState(false);
  const downloadButton = (
    <button type="button" data-testid="open-model-download" onClick={() => setDownloading((d) => !d)}>
      {downloading ? 'Close download' : 'Download a model'}
    </button>
  );

  return (
    <section className="screen" data-testid="screen-connections">
      <ScreenHeader
        title="Connections"
        actions={
          !form &&
          connections &&
          names.length > 0 && (
            <>
              {downloadButton}
              <button
                type="button"
                className="primary"
                data-testid="add-connection"
                onClick={() => openForm()}
                disabled={!plugins}
              >
                + Add connection
              </button>
            </>
          )
        }
      >
        The models a run talks to: an embedded GGUF file, a local Ollama, OpenAI or any compatible server, vLLM.
      </ScreenHeader>

      {loadError && (
        <RetryAlert
          title="Cannot reach the studio service."
          message={loadError}
          onRetry={() => void state.refresh()}
          testId="connections-error"
        />
      )}
      {notice && (
        <div className="notice-ok" role="status" data-testid="connections-notice">
          {notice}
        </div>
      )}
      {listError && (
        <div className="alert" role="alert">
          {listError}
        </div>
      )}

      {form && plugins && (
        <ConnectionForm
          studio={studio}
          plugins={plugins}
          form={form}
          existing={connections ?? {}}
          nameFor={state.nameFor}
          onChange={state.setForm}
          onCancel={() => state.setForm(null)}
          onSaved={(name) => void state.onSaved(name)}
        />
      )}

      {downloading && (
        <ModelDownloadPanel
          studio={studio}
          onSaved={(name) => {
            setDownloading(false);
            void state.onSaved(name);
          }}
        />
      )}

      {!connections && !loadError && <p className="muted">Loading connections…</p>}

      {connections && names.length === 0 && !form && (
        <div className="empty" data-testid="connections-empty">
          <h3>No connections yet</h3>
          <p>
            Connect a model first. The embedded backend (llama-cpp) needs only a GGUF file: download a small one, or
            give the path of one you have.
          </p>
          <div className="row" style={{ justifyContent: 'center' }}>
            {!downloading && downloadButton}
            <button
              type="button"
              className="primary"
              data-testid="add-llama-cpp"
              onClick={() => openForm(EMBEDDED_PLUGIN)}
              disabled={!plugins}
            >
              Add a GGUF model (llama-cpp)
            </button>
            <button type="button" data-testid="add-connection" onClick={() => openForm()} disabled={!plugins}>
              Other backend…
            </button>
          </div>
        </div>
      )}

      {connections && names.length > 0 && (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Saved connections">
          {names.map((name) => {
            const connection = connections[name]!;
            return (
              <ConnectionCard
                key={name}
                name={name}
                connection={connection}
                plugin={plugins?.find((p) => p.id === connection.plugin)}
                test={tests[name]}
                onTest={() => void state.runTest(name)}
                onEdit={() => state.editConnection(name, connection)}
                onRemove={() => void state.remove(name)}
              />
            );
          })}
        </ul>
      )}

      {connections && <DetectServersPanel studio={studio} onSaved={(name) => void state.onSaved(name)} />}
      <ConnectionActivityPanel studio={studio} />
      {unusable.length > 0 && <UnusablePlugins plugins={unusable} />}
      <KeyStorePanel studio={studio} />
    </section>
  );
}
