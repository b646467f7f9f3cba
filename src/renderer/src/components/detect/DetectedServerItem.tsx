// One server detect found: what it is, where, its models with their context sizes; a name and a
// model to save it under, and "Save as connection" (nothing is saved before that click).
import { useId, useState } from 'react';
import type { DetectedServerDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

const KIND_LABELS: Record<DetectedServerDto['kind'], string> = {
  ollama: 'Ollama',
  'lm-studio': 'LM Studio',
  'llama.cpp': 'llama.cpp server',
  vllm: 'vLLM',
  'openai-compatible': 'OpenAI-compatible',
};

interface Props {
  server: DetectedServerDto;
  studio: StudioApi;
  onSaved: (name: string) => void;
}

export function DetectedServerItem({ server, studio, onSaved }: Props) {
  const id = useId();
  const [name, setName] = useState(server.suggestedName);
  const [model, setModel] = useState(server.models[0]!.id);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    setSaving(true);
    try {
      const { connection } = server;
      await studio.connections.save(name, { ...connection, settings: { ...connection.settings, model } });
      setSaved(name);
      setError(null);
      onSaved(name);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <li className="panel stack" style={{ margin: 0 }} data-testid="detected-server" data-address={server.address}>
      <div className="row">
        <span className="badge" data-testid="detected-kind">
          {KIND_LABELS[server.kind]}
        </span>
        <code data-testid="detected-address">{server.address}</code>
      </div>
      <ul className="small" style={{ margin: 0 }} aria-label={`Models at ${server.address}`}>
        {server.models.map((m) => (
          <li key={m.id} data-testid="detected-model">
            {m.id}
            {m.contextLength ? (
              <span className="muted"> — context {m.contextLength.toLocaleString()} tokens</span>
            ) : null}
          </li>
        ))}
      </ul>
      {saved ? (
        <p className="notice-ok" role="status" data-testid="detected-saved">
          Saved as connection “{saved}”.
        </p>
      ) : (
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor={`${id}-name`}>Connection name</label>
            <input
              id={`${id}-name`}
              data-testid="detected-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          {server.models.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-model`}>Model</label>
              <select
                id={`${id}-model`}
                data-testid="detected-model-choice"
                value={model}
                onChange={(e) => setModel(e.target.value)}
              >
                {server.models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button
            type="button"
            className="primary"
            data-testid="detected-save"
            disabled={saving || name.trim() === ''}
            onClick={() => void save()}
          >
            {saving ? 'Saving…' : 'Save as connection'}
          </button>
        </div>
      )}
      {error && (
        <div className="alert" role="alert" data-testid="detected-save-error">
          {error}
        </div>
      )}
    </li>
  );
}
