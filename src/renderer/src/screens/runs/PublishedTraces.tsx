// The paper's own searches: a published trace (optimized-prompts/<model>/trace.json) opened as a
// read-only run, to put beside the user's runs. A browser gives a picked file's name, not its
// folder, so the model is typed here, unless the file's own name says it.
import { type ChangeEvent, useId, useRef, useState } from 'react';
import { LIMITS } from '../../../../shared/requestLimits';
import type { StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';

interface Props {
  studio: StudioApi;
  /** Called with the new run's id (the screen selects it). */
  onImported: (id: string) => void;
}

/** "mistral-7b-v0.1.json" names its model; "trace.json" does not. */
function modelFromFileName(name: string): string {
  const stem = name.replace(/(\.trace)?\.json$/i, '');
  return stem.toLowerCase() === 'trace' ? '' : stem;
}

export function PublishedTraces({ studio, onImported }: Props) {
  const [model, setModel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const id = useId();

  const open = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setNotice(null);
    try {
      const name = model.trim() || modelFromFileName(file.name);
      if (!name)
        throw new Error('name the model it was published for first (its folder in optimized-prompts/, e.g. llama3-8b)');
      if (file.size > LIMITS.traceBytes)
        throw new Error(
          `it is ${(file.size / 2 ** 20).toFixed(1)} MiB; a published trace is at most ${LIMITS.traceBytes / 2 ** 20} MiB`,
        );
      setBusy(true);
      const { id: runId } = await studio.runs.importTrace({ model: name, content: await file.text() });
      setNotice(`Opened the published trace of ${name} as run ${runId}.`);
      onImported(runId);
    } catch (err) {
      setError(`Cannot open ${file.name}: ${errorMessage(err)}`);
    } finally {
      // The same file can be picked again.
      input.value = '';
      setBusy(false);
    }
  };

  return (
    <section className="runs-panel published-traces" aria-labelledby={`${id}-title`} data-testid="published-traces">
      <h3 id={`${id}-title`}>Published searches</h3>
      <p className="runs-muted">
        The paper's own search for a model (<code>optimized-prompts/&lt;model&gt;/trace.json</code>), level by level, as
        a read-only run beside yours.
      </p>
      <div className="runs-row">
        <div className="runs-field">
          <label htmlFor={`${id}-model`}>Model</label>
          <input
            id={`${id}-model`}
            data-testid="trace-model"
            value={model}
            placeholder="e.g. llama3-8b"
            onChange={(e) => setModel(e.target.value)}
          />
        </div>
        <button
          type="button"
          data-testid="open-trace"
          disabled={busy}
          title="Pick a trace.json of the paper's optimized-prompts/ folder"
          onClick={() => fileInput.current?.click()}
        >
          {busy ? 'Opening…' : 'Open a published trace…'}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="trace-file"
          aria-label="Published trace file"
          onChange={(e) => void open(e)}
        />
      </div>
      {error && (
        <p className="runs-error" role="alert" data-testid="trace-error">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="runs-muted" role="status" data-testid="trace-notice">
          {notice}
        </p>
      )}
    </section>
  );
}
