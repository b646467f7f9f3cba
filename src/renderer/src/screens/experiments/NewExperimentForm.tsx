// The New experiment form: the evaluation set (a saved dataset or a file; split; a seeded
// sample), the setups compared, the target models and the evaluation judge (saved connections,
// chosen apart from any run's judge), then Start.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ConnectionDto, DatasetSummary, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { NumberField } from '../../shell/NumberField';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';
import {
  buildExperimentConfig,
  defaultExperimentValues,
  formProblem,
  type NewExperimentValues,
  newSetup,
  newTarget,
  SETUP_KINDS,
  type SetupKind,
  type SetupRow,
  type TargetRow,
} from './experimentForm';

interface Props {
  studio: StudioApi;
  onStarted: (id: string) => void;
}

function NumberInput(props: Omit<Parameters<typeof NumberField>[0], 'className'>) {
  return <NumberField {...props} className="field experiments-narrow" />;
}

/** A saved connection; labelled by a <label htmlFor={id}> or, in a table row, by `label`. */
function ConnectionSelect({
  id,
  label,
  value,
  names,
  onChange,
  testId,
}: {
  id?: string;
  label?: string;
  value: string;
  names: string[];
  onChange: (name: string) => void;
  testId?: string;
}) {
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
      disabled={names.length === 0}
    >
      {names.length === 0 && <option value="">—</option>}
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}

export function NewExperimentForm({ studio, onStarted }: Props) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [evalSets, setEvalSets] = useState<DatasetSummary[]>([]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<NewExperimentValues>(() => defaultExperimentValues());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = {
    source: useId(),
    dataset: useId(),
    file: useId(),
    split: useId(),
    sample: useId(),
    seed: useId(),
    baseline: useId(),
    judge: useId(),
    na: useId(),
  };

  const load = () => {
    setLoadError(null);
    Promise.all([studio.connections.list(), studio.datasets.list(), studio.runs.list()])
      .then(([list, datasets, allRuns]) => {
        setConnections(list);
        const sets = datasets.filter((d) => d.kind === 'eval-set');
        setEvalSets(sets);
        setRuns(allRuns.filter((r) => r.stage === 'system-prompt' && r.status === 'finished'));
        const first = Object.keys(list)[0] ?? '';
        setValues((v) => ({
          ...v,
          dataset: v.dataset || (sets[0]?.name ?? ''),
          evalSource: sets.length === 0 && !v.dataset ? 'file' : v.evalSource,
          targets: v.targets.map((t) =>
            t.connection && list[t.connection]
              ? t
              : { ...t, connection: first, name: t.name === 'target' && first ? first : t.name },
          ),
          judge: v.judge.connection && list[v.judge.connection] ? v.judge : { ...v.judge, connection: first },
        }));
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  };
  useEffect(load, [studio]);

  const update = (patch: Partial<NewExperimentValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setError(null);
  };
  const setSetup = (index: number, patch: Partial<SetupRow>) => {
    const setups = values.setups.map((s, i) => (i === index ? { ...s, ...patch } : s));
    // The baseline follows its setup's renaming.
    const renamed = patch.name !== undefined && values.setups[index]!.name === values.baseline;
    update({ setups, ...(renamed ? { baseline: patch.name } : {}) });
  };
  const setTarget = (index: number, patch: Partial<TargetRow>) =>
    update({ targets: values.targets.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  const addSetup = (kind: SetupKind) =>
    update({
      setups: [
        ...values.setups,
        newSetup(
          kind,
          values.setups.map((s) => s.name),
        ),
      ],
    });
  const removeSetup = (index: number) => {
    const setups = values.setups.filter((_, i) => i !== index);
    update({
      setups,
      baseline: setups.some((s) => s.name === values.baseline) ? values.baseline : (setups[0]?.name ?? ''),
    });
  };

  const names = connections ? Object.keys(connections) : [];
  const problem = formProblem(values);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { id } = await studio.experiments.start({ config: buildExperimentConfig(values) });
      onStarted(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-experiment-title">
      <h3 id="new-experiment-title">New experiment</h3>
      <form className="experiments-form" data-testid="new-experiment-form" onSubmit={start}>
        {loadError && (
          <p className="alert" role="alert">
            Cannot load the connections, datasets and runs: {loadError}{' '}
            <button type="button" className="small" onClick={load}>
              Retry
            </button>
          </p>
        )}
        {connections !== null && names.length === 0 && (
          <div className="experiments-empty" data-testid="experiments-no-connections">
            No saved connections yet. Add one on the <strong>Connections</strong> screen (the targets and the judge are
            saved connections), then{' '}
            <button type="button" className="small" onClick={load}>
              Reload
            </button>
          </div>
        )}

        <fieldset>
          <legend>Evaluation set</legend>
          <div className="experiments-row">
            <div className="field">
              <label htmlFor={ids.source}>Source</label>
              <select
                id={ids.source}
                value={values.evalSource}
                onChange={(e) => update({ evalSource: e.target.value as 'dataset' | 'file' })}
                data-testid="eval-source"
              >
                <option value="dataset">A saved evaluation set</option>
                <option value="file">A file path</option>
              </select>
            </div>
            {values.evalSource === 'dataset' ? (
              <div className="field">
                <label htmlFor={ids.dataset}>Dataset</label>
                <select
                  id={ids.dataset}
                  value={values.dataset}
                  onChange={(e) => update({ dataset: e.target.value })}
                  data-testid="eval-dataset"
                >
                  {evalSets.length === 0 && (
                    <option value="">none: import one as eval-set on the Datasets screen</option>
                  )}
                  {evalSets.map((d) => (
                    <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
                  ))}
                </select>
              </div>
            ) : (
              <div className="field experiments-wide">
                <label htmlFor={ids.file}>File</label>
                <input
                  id={ids.file}
                  type="text"
                  value={values.file}
                  placeholder="/path/to/just_eval_instruct.json"
                  title="just-eval-instruct's format (JSON or JSONL); a relative path resolves against the studio's user-data folder"
                  onChange={(e) => update({ file: e.target.value })}
                  data-testid="eval-file"
                />
              </div>
            )}
          </div>
          <div className="experiments-row">
            <div className="field experiments-narrow">
              <label htmlFor={ids.split}>Split</label>
              <select
                id={ids.split}
                value={values.split}
                onChange={(e) => update({ split: e.target.value as NewExperimentValues['split'] })}
                data-testid="eval-split"
              >
                <option value="all">all</option>
                <option value="regular">regular</option>
                <option value="safety">safety</option>
              </select>
            </div>
            <div className="field experiments-narrow">
              <label htmlFor={ids.sample} title="A seeded sample of this many items; empty: every item">
                Sample size
              </label>
              <input
                id={ids.sample}
                type="number"
                min={1}
                placeholder="all"
                value={values.sampleSize}
                onChange={(e) => update({ sampleSize: e.target.value })}
                data-testid="sample-size"
              />
            </div>
            <div className="field experiments-narrow">
              <label htmlFor={ids.seed}>Sample seed</label>
              <input
                id={ids.seed}
                type="number"
                step={1}
                value={values.sampleSeed}
                onChange={(e) => update({ sampleSeed: Number.parseInt(e.target.value, 10) || 0 })}
                data-testid="sample-seed"
              />
            </div>
          </div>
        </fieldset>

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
          <div className="experiments-row" role="group" aria-label="Add a setup">
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
          </div>
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

        <fieldset>
          <legend>Target models</legend>
          <table className="experiments-targets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Connection</th>
                <th scope="col">Prompt format</th>
                <th scope="col">Max tokens</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {values.targets.map((target, index) => (
                <tr key={target.key} data-testid={`target-${index}`}>
                  <td>
                    <input
                      type="text"
                      aria-label={`Name of target ${index + 1}`}
                      value={target.name}
                      onChange={(e) => setTarget(index, { name: e.target.value })}
                      data-testid={`target-name-${index}`}
                    />
                  </td>
                  <td>
                    <ConnectionSelect
                      label={`Connection of target ${index + 1}`}
                      value={target.connection}
                      names={names}
                      onChange={(connection) => setTarget(index, { connection })}
                      testId={`target-connection-${index}`}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`Prompt format of target ${index + 1}`}
                      value={target.format}
                      onChange={(e) => setTarget(index, { format: e.target.value as PromptFormat })}
                      data-testid={`target-format-${index}`}
                    >
                      {PROMPT_FORMATS.map((f) => (
                        <option key={f.value} value={f.value} title={f.label}>
                          {f.value}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      aria-label={`Max tokens of target ${index + 1}`}
                      value={Number.isFinite(target.maxTokens) ? target.maxTokens : ''}
                      onChange={(e) => setTarget(index, { maxTokens: Number.parseInt(e.target.value, 10) })}
                      data-testid={`target-max-tokens-${index}`}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small ghost danger"
                      aria-label={`Remove target ${target.name}`}
                      onClick={() => update({ targets: values.targets.filter((_, i) => i !== index) })}
                      disabled={values.targets.length === 1}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="experiments-row">
            <button
              type="button"
              className="small"
              onClick={() =>
                update({
                  targets: [
                    ...values.targets,
                    newTarget(
                      names[0] ?? '',
                      values.targets.map((t) => t.name),
                    ),
                  ],
                })
              }
              data-testid="add-target"
            >
              + Target model
            </button>
          </div>
          <div className="experiments-row">
            <NumberInput
              label="Requests at once"
              hint="Per connection (targets and judge); lowered to what the server serves"
              value={values.concurrency}
              min={1}
              onChange={(concurrency) => update({ concurrency })}
              testId="concurrency"
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>Evaluation judge</legend>
          <div className="experiments-row">
            <div className="field">
              <label htmlFor={ids.judge}>Connection</label>
              <ConnectionSelect
                id={ids.judge}
                value={values.judge.connection}
                names={names}
                onChange={(connection) => update({ judge: { ...values.judge, connection } })}
                testId="judge-connection"
              />
            </div>
            <NumberInput
              label="Max tokens"
              value={values.judge.maxTokens}
              min={1}
              onChange={(maxTokens) => update({ judge: { ...values.judge, maxTokens } })}
              testId="judge-max-tokens"
            />
            <NumberInput
              label="Reason length"
              hint="Longest reason per aspect, in characters, where decoding is schema-constrained"
              value={values.judge.reasonMaxChars}
              min={10}
              onChange={(reasonMaxChars) => update({ judge: { ...values.judge, reasonMaxChars } })}
              testId="judge-reason-chars"
            />
          </div>
          <label className="checkbox" htmlFor={ids.na}>
            <input
              id={ids.na}
              type="checkbox"
              checked={values.judge.allowNotApplicable}
              onChange={(e) => update({ judge: { ...values.judge, allowNotApplicable: e.target.checked } })}
              data-testid="judge-allow-na"
            />
            The judge may answer N/A (kept apart, never a score)
          </label>
        </fieldset>

        <div className="experiments-row experiments-actions">
          {problem && (
            <span className="muted small" data-testid="experiment-form-problem">
              {problem}
            </span>
          )}
          <button type="submit" className="primary" disabled={problem !== null || busy} data-testid="start-experiment">
            {busy ? 'Starting…' : 'Start'}
          </button>
        </div>
        {error && (
          <p className="alert" role="alert" data-testid="experiment-start-error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
