// The setups a new experiment compares (basic prompt, URIAL file, a finished run, a typed prompt) and its baseline.
import { useId } from 'react';
import { SETUP_KINDS } from './experimentForm';
import type { NewExperiment } from './useNewExperiment';

export function SetupsFieldset({ form }: { form: NewExperiment }) {
  const { values, runs, update, setSetup, addSetup, removeSetup } = form;
  const ids = { baseline: useId() };
  return (
    <fieldset>
      <legend>Setups</legend>
      <ul className="experiments-rows" data-testid="setup-rows">
        {values.setups.map((setup, index) => (
          <li key={setup.key} className="experiments-setup" data-testid={`setup-${index}`}>
            <div className="experiments-row">
              <span className="badge">{SETUP_KINDS.find((k) => k.value === setup.kind)?.label}</span>
              <input
                type="text"
                aria-label={`Name of setup ${index + 1}`}
                value={setup.name}
                onChange={(e) => setSetup(index, { name: e.target.value })}
                data-testid={`setup-name-${index}`}
              />
              <button
                type="button"
                className="small ghost danger"
                aria-label={`Remove setup ${setup.name}`}
                onClick={() => removeSetup(index)}
                disabled={values.setups.length === 1}
              >
                Remove
              </button>
            </div>
            {setup.kind === 'urial' && (
              <input
                type="text"
                aria-label={`URIAL prompt file of ${setup.name}`}
                placeholder="/path/to/inst_1k_v4.txt (absolute, or relative to the user-data folder)"
                value={setup.file}
                onChange={(e) => setSetup(index, { file: e.target.value })}
                data-testid={`setup-file-${index}`}
              />
            )}
            {setup.kind === 'run' && (
              <select
                aria-label={`Run of ${setup.name}`}
                value={setup.run}
                onChange={(e) => setSetup(index, { run: e.target.value })}
                data-testid={`setup-run-${index}`}
              >
                <option value="">
                  {runs.length === 0 ? 'no finished system-prompt run yet' : 'choose a finished system-prompt run'}
                </option>
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>{`${r.id} (best ${r.bestScore?.toFixed(2) ?? '–'})`}</option>
                ))}
              </select>
            )}
            {setup.kind === 'prompt' && (
              <textarea
                aria-label={`System prompt of ${setup.name}`}
                rows={3}
                placeholder="You are a helpful, honest assistant…"
                value={setup.systemPrompt}
                onChange={(e) => setSetup(index, { systemPrompt: e.target.value })}
                data-testid={`setup-prompt-${index}`}
              />
            )}
          </li>
        ))}
      </ul>
      <fieldset className="experiments-row plain-group" aria-label="Add a setup">
        {SETUP_KINDS.map((k) => (
          <button
            key={k.value}
            type="button"
            className="small"
            onClick={() => addSetup(k.value)}
            data-testid={`add-setup-${k.value}`}
          >
            + {k.label}
          </button>
        ))}
      </fieldset>
      <div className="field experiments-narrow">
        <label htmlFor={ids.baseline}>Deltas against</label>
        <select
          id={ids.baseline}
          value={values.baseline}
          onChange={(e) => update({ baseline: e.target.value })}
          data-testid="baseline-setup"
        >
          {values.setups.map((s) => (
            <option key={s.key} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
