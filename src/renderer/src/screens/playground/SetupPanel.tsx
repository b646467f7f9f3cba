// One alignment setup of the Playground: a system prompt (typed, or the best prompt of a
// finished system-prompt run) and, optionally, K examples retrieved from an ICL dataset.
import { useId, useState } from 'react';
import type { DatasetSummary, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { bestPromptOf, type SetupForm, type Side, validK } from './playgroundModel';

interface Props {
  studio: StudioApi;
  side: Side;
  title: string;
  description: string;
  form: SetupForm;
  onChange: (patch: Partial<SetupForm>) => void;
  /** ICL-example datasets; null while loading. */
  datasets: DatasetSummary[] | null;
  /** Finished system-prompt runs, newest first; null while loading. */
  runs: RunSummary[] | null;
  disabled: boolean;
}

function runLabel(run: RunSummary): string {
  const score = run.bestScore === null ? '' : ` — score ${run.bestScore.toFixed(2)}`;
  return `${run.id}${score}`;
}

export function SetupPanel({ studio, side, title, description, form, onChange, datasets, runs, disabled }: Props) {
  const ids = { prompt: useId(), run: useId(), dataset: useId(), k: useId() };
  const [picking, setPicking] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const testId = `setup-${side}`;

  const pickRun = async (id: string) => {
    if (!id) return;
    setPicking(id);
    setPickError(null);
    try {
      const detail = await studio.runs.get(id);
      const best = bestPromptOf(detail);
      if (best === null) setPickError(`Run ${id} has no best prompt in its result.`);
      else onChange({ systemPrompt: best, fromRun: id });
    } catch (e) {
      setPickError(`Cannot read run ${id}: ${errorMessage(e)}`);
    } finally {
      setPicking(null);
    }
  };

  const kInvalid = form.iclDataset !== '' && !validK(form.k);
  const datasetMissing =
    form.iclDataset !== '' && datasets !== null && !datasets.some((d) => d.name === form.iclDataset);

  return (
    <section className="panel pg-setup" data-testid={testId} aria-labelledby={`${ids.prompt}-title`}>
      <div className="pg-setup__head">
        <h3 id={`${ids.prompt}-title`}>{title}</h3>
        {form.fromRun && (
          <span className="badge accent" title={`The best prompt of run ${form.fromRun}`}>
            from {form.fromRun}
          </span>
        )}
      </div>
      <p className="muted small">{description}</p>

      <div className="field">
        <label htmlFor={ids.run}>Use the best prompt of run…</label>
        <select
          id={ids.run}
          data-testid={`${testId}-run`}
          value=""
          disabled={disabled || picking !== null || !runs || runs.length === 0}
          onChange={(e) => void pickRun(e.target.value)}
        >
          <option value="">
            {picking
              ? `Loading ${picking}…`
              : runs === null
                ? 'Loading runs…'
                : runs.length === 0
                  ? 'No finished system-prompt runs yet'
                  : 'Pick a finished run…'}
          </option>
          {runs?.map((run) => (
            <option key={run.id} value={run.id}>
              {runLabel(run)}
            </option>
          ))}
        </select>
        {pickError && (
          <p className="field-error" role="alert">
            {pickError}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={ids.prompt}>System prompt</label>
        <textarea
          id={ids.prompt}
          data-testid={`${testId}-system-prompt`}
          rows={6}
          value={form.systemPrompt}
          disabled={disabled}
          placeholder={side === 'b' ? 'Pick a finished run above, or write a system prompt.' : 'A system prompt.'}
          onChange={(e) => onChange({ systemPrompt: e.target.value, fromRun: null })}
        />
      </div>

      <div className="pg-setup__icl">
        <div className="field pg-setup__dataset">
          <label htmlFor={ids.dataset}>ICL examples</label>
          <select
            id={ids.dataset}
            data-testid={`${testId}-dataset`}
            value={form.iclDataset}
            disabled={disabled}
            onChange={(e) => onChange({ iclDataset: e.target.value })}
          >
            <option value="">None (system prompt only)</option>
            {datasetMissing && <option value={form.iclDataset}>{form.iclDataset} (missing)</option>}
            {datasets?.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} ({d.items} examples)
              </option>
            ))}
          </select>
        </div>
        <div className="field pg-setup__k">
          <label htmlFor={ids.k}>K</label>
          <input
            id={ids.k}
            data-testid={`${testId}-k`}
            type="number"
            min={1}
            step={1}
            value={Number.isFinite(form.k) ? form.k : ''}
            disabled={disabled || form.iclDataset === ''}
            aria-invalid={kInvalid}
            onChange={(e) => onChange({ k: Number.parseInt(e.target.value, 10) })}
          />
        </div>
      </div>
      {kInvalid && <p className="pg-field-error">K must be a whole number of at least 1.</p>}
      {datasets !== null && datasets.length === 0 && (
        <p className="muted small">No ICL-example datasets yet: import one on the Datasets screen.</p>
      )}
    </section>
  );
}
