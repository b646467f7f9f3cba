// "Detect": finds the model servers already running (Ollama, LM Studio, llama.cpp's server, vLLM,
// any OpenAI-compatible one) at their usual local addresses, the user's saved extra ones and any
// address added here, and offers each as a connection to save. The addresses added here last as
// long as the panel (the CLI's `detect --address URL --remember` keeps one for good).
// Shared by the Connections screen and the first-run guide.
import { useEffect, useId, useState } from 'react';
import type { DetectResultDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { DetectedServerItem } from './DetectedServerItem';

interface Props {
  studio: StudioApi;
  /** A server was saved as the connection `name`. */
  onSaved: (name: string) => void;
  /** Detect at once, as the first-run guide does (a user who asked to find a server need not ask twice). */
  detectOnOpen?: boolean;
}

export function DetectServersPanel({ studio, onSaved, detectOnOpen = false }: Props) {
  const id = useId();
  const [addresses, setAddresses] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | null>(null);
  const [result, setResult] = useState<DetectResultDto | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const detect = async (extra: string[]) => {
    setPending(true);
    try {
      setResult(await studio.connections.detect(extra.length > 0 ? extra : undefined));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel opens
  useEffect(() => {
    if (detectOnOpen) void detect([]);
  }, []);

  const addAddress = () => {
    const address = draft.trim();
    if (!/^https?:\/\/[^/\s]+/.test(address) || !URL.canParse(address)) {
      setDraftError('An address is http:// or https://, a host and a port, e.g. http://192.168.1.20:11434');
      return;
    }
    const next = addresses.includes(address) ? addresses : [...addresses, address];
    setAddresses(next);
    setDraft('');
    setDraftError(null);
    void detect(next);
  };

  return (
    <section className="panel stack" data-testid="detect-servers" aria-labelledby={`${id}-title`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id={`${id}-title`} style={{ margin: 0 }}>
          Servers running here
        </h2>
        <button
          type="button"
          className="primary"
          data-testid="detect-run"
          disabled={pending}
          onClick={() => void detect(addresses)}
        >
          {pending ? 'Detecting…' : 'Detect'}
        </button>
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        Looks for Ollama, LM Studio, llama.cpp's server and vLLM at their usual addresses, and any OpenAI-compatible
        server at an address you add. Nothing is saved until you save one.
      </p>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor={`${id}-address`}>Also try an address</label>
          <input
            id={`${id}-address`}
            data-testid="detect-address"
            placeholder="http://192.168.1.20:11434"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') addAddress();
            }}
          />
        </div>
        <button
          type="button"
          data-testid="detect-add-address"
          disabled={pending || draft.trim() === ''}
          onClick={addAddress}
        >
          Add and detect
        </button>
      </div>
      {draftError && (
        <p className="alert small" role="alert" data-testid="detect-address-error">
          {draftError}
        </p>
      )}
      {addresses.length > 0 && (
        <p className="small muted" data-testid="detect-addresses">
          Also trying: {addresses.join(', ')}
        </p>
      )}
      {error && (
        <div className="alert" role="alert" data-testid="detect-error">
          {error}
        </div>
      )}
      {result && <DetectResults result={result} studio={studio} onSaved={onSaved} />}
    </section>
  );
}

function DetectResults({ result, studio, onSaved }: { result: DetectResultDto } & Props) {
  return (
    <>
      {result.found.length === 0 && (
        <p data-testid="detect-none">
          No model server answered. Start one (e.g. <code>ollama serve</code>), or add its address above.
        </p>
      )}
      {result.found.length > 0 && (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Servers found">
          {result.found.map((server) => (
            <DetectedServerItem key={server.address} server={server} studio={studio} onSaved={onSaved} />
          ))}
        </ul>
      )}
      {result.silent.length > 0 && (
        <ul className="muted small" aria-label="Addresses where nothing usable answered" data-testid="detect-silent">
          {result.silent.map((s) => (
            <li key={s.address} data-testid="detect-silent-address" data-address={s.address}>
              <code>{s.address}</code>: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
