// The New run form: connections for the roles, the stage, the search and retrieval sizes; an
// estimate of the calls (appendix A.5 and as planned) before anything runs; then Start.
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ConnectionDto, DatasetSummary, RunStage, StudioApi } from '../../../../shared/studioApi';
import { NumberField } from '../../shell/NumberField';
import { errorMessage } from '../../shell/format';
import {
  ALGORITHMS,
  type Algorithm,
  buildRunConfig,
  defaultValues,
  type NewRunValues,
  ROLES,
  type RoleName,
} from './runConfig';

interface Props {
  studio: StudioApi;
  onStarted: (id: string) => void;
}

type Estimate = { a5: Record<string, number>; planned: Record<string, number> };

function RunsNumberField(props: Omit<Parameters<typeof NumberField>[0], 'className'>) {
  return <NumberField {...props} className="runs-field runs-field--narrow" />;
}

export function NewRunForm({ studio, onStarted }: Props) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [connectionsError, setConnectionsError] = useState<string | null>(null);
  const [values, setValues] = useState<NewRunValues>(() => defaultValues());
  const [perRole, setPerRole] = useState(false);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [busy, setBusy] = useState<'estimate' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { stage: useId(), connection: useId(), algorithm: useId(), limit: useId(), seeds: useId(), icl: useId() };
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  useEffect(() => {
    studio.datasets
      .list()
      .then(setDatasets)
      .catch(() => setDatasets([])); // the starter data still serves
  }, [studio]);

  const loadConnections = () => {
    setConnectionsError(null);
    studio.connections
      .list()
      .then((list) => {
        setConnections(list);
        setValues((v) => (v.connection && list[v.connection] ? v : { ...v, connection: Object.keys(list)[0] ?? '' }));
      })
      .catch((e: unknown) => setConnectionsError(errorMessage(e)));
  };
  useEffect(loadConnections, [studio]);

  const update = (patch: Partial<NewRunValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setEstimate(null);
    setError(null);
  };
  const setStage = (stage: RunStage) => {
    const d = defaultValues(stage);
    update({ stage, width: d.width, samples: d.samples, depth: d.depth });
  };
  const setRole = (field: 'roleConnections' | 'maxTokens', role: RoleName, value: string) =>
    update({ [field]: { ...values[field], [role]: value } } as Partial<NewRunValues>);

  const names = connections ? Object.keys(connections) : [];
  const sizesValid =
    [values.width, values.samples, values.depth].every((n) => Number.isInteger(n) && n >= 1) &&
    Number.isInteger(values.k) &&
    values.k >= 0;
  const ready = values.connection !== '' && sizesValid && busy === null;

  const request = () => ({ stage: values.stage, config: buildRunConfig(values) });

  const runEstimate = async () => {
    setBusy('estimate');
    setError(null);
    try {
      setEstimate(await studio.runs.estimate(request()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy('start');
    setError(null);
    try {
      const { id } = await studio.runs.start(request());
      onStarted(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const estimateRoles = estimate
    ? [...new Set([...ROLES, ...Object.keys(estimate.a5), ...Object.keys(estimate.planned)])]
    : [];
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);

  return (
    <section className="runs-panel" aria-labelledby="new-run-title">
      <h3 id="new-run-title">New run</h3>
      <form className="new-run-form" data-testid="new-run-form" onSubmit={start}>
        {connectionsError && (
          <p className="runs-error" role="alert">
            Cannot list the saved connections: {connectionsError}{' '}
            <button type="button" onClick={loadConnections}>
              Retry
            </button>
          </p>
        )}
        {connections === null && !connectionsError && <p className="runs-muted">Loading connections…</p>}
        {connections !== null && names.length === 0 && (
          <p className="runs-empty">
            No saved connections yet. Add one on the <strong>Connections</strong> screen (a local GGUF model, Ollama,
            vLLM or an OpenAI-compatible server), then come back.{' '}
            <button type="button" onClick={loadConnections}>
              Reload
            </button>
          </p>
        )}

        <div className="runs-row">
          <div className="runs-field">
            <label htmlFor={ids.connection}>Connection (all roles)</label>
            <select
              id={ids.connection}
              value={values.connection}
              onChange={(e) => update({ connection: e.target.value })}
              disabled={names.length === 0}
            >
              {names.length === 0 && <option value="">—</option>}
              {names.map((name) => (
                <option key={name} value={name}>
                  {name} ({connections![name]!.plugin})
                </option>
              ))}
            </select>
          </div>
          <div className="runs-field">
            <label htmlFor={ids.stage}>Stage</label>
            <select id={ids.stage} value={values.stage} onChange={(e) => setStage(e.target.value as RunStage)}>
              <option value="system-prompt">system-prompt</option>
              <option value="icl">icl</option>
            </select>
          </div>
          <div className="runs-field">
            <label htmlFor={ids.algorithm}>Algorithm</label>
            <select
              id={ids.algorithm}
              value={values.algorithm}
              onChange={(e) => update({ algorithm: e.target.value as Algorithm })}
            >
              {ALGORITHMS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
        </div>

        <div className="runs-row">
          <RunsNumberField
            label="W (width)"
            hint="states kept per level"
            value={values.algorithm === 'greedy' ? 1 : values.width}
            min={1}
            onChange={(width) => update({ width })}
          />
          <RunsNumberField
            label="M (samples)"
            hint="rewrites per state"
            value={values.samples}
            min={1}
            onChange={(samples) => update({ samples })}
          />
          <RunsNumberField
            label="D (depth)"
            hint="evaluated levels, the root's included"
            value={values.depth}
            min={1}
            onChange={(depth) => update({ depth })}
          />
          <RunsNumberField
            label="K (examples)"
            hint="ICL examples retrieved per query"
            value={values.k}
            min={0}
            onChange={(k) => update({ k })}
          />
        </div>

        <details
          className="new-run-form__roles"
          open={perRole}
          onToggle={(e) => setPerRole((e.target as HTMLDetailsElement).open)}
        >
          <summary>Per-role connections and limits</summary>
          <table className="runs-table">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Connection</th>
                <th scope="col">Max tokens</th>
              </tr>
            </thead>
            <tbody>
              {ROLES.map((role) => (
                <tr key={role}>
                  <th scope="row">{role}</th>
                  <td>
                    <select
                      aria-label={`${role} connection`}
                      value={values.roleConnections[role]}
                      onChange={(e) => setRole('roleConnections', role, e.target.value)}
                    >
                      <option value="">same as all</option>
                      {names.map((name) => (
                        <option key={name} value={name}>
                          {name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={`${role} max tokens`}
                      type="number"
                      min={1}
                      placeholder="2048"
                      value={values.maxTokens[role]}
                      onChange={(e) => setRole('maxTokens', role, e.target.value)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="runs-field">
            <label htmlFor={ids.seeds}>Seed queries</label>
            <select
              id={ids.seeds}
              data-testid="seed-dataset"
              value={values.seedDataset}
              onChange={(e) => update({ seedDataset: e.target.value })}
            >
              <option value="">Starter seed queries</option>
              {datasets
                .filter((d) => d.kind !== 'icl-examples')
                .map((d) => (
                  <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
                ))}
            </select>
          </div>
          <div className="runs-field">
            <label htmlFor={ids.icl}>ICL examples</label>
            <select
              id={ids.icl}
              data-testid="icl-dataset"
              value={values.iclDataset}
              onChange={(e) => update({ iclDataset: e.target.value })}
            >
              <option value="">Starter ICL examples</option>
              {datasets
                .filter((d) => d.kind === 'icl-examples')
                .map((d) => (
                  <option key={d.name} value={d.name}>{`${d.name} (${d.items})`}</option>
                ))}
            </select>
          </div>
          <div className="runs-field runs-field--narrow">
            <label htmlFor={ids.limit}>Seed queries (first N)</label>
            <input
              id={ids.limit}
              type="number"
              min={1}
              placeholder="all"
              value={values.seedLimit}
              onChange={(e) => update({ seedLimit: e.target.value })}
            />
          </div>
        </details>

        <div className="runs-actions">
          <button type="button" data-testid="estimate-run" onClick={runEstimate} disabled={!ready}>
            {busy === 'estimate' ? 'Estimating…' : 'Estimate'}
          </button>
          <button type="submit" className="runs-primary" data-testid="start-run" disabled={!ready}>
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
        </div>

        {error && (
          <p className="runs-error" role="alert">
            {error}
          </p>
        )}

        <div data-testid="run-estimate" className="run-estimate" aria-live="polite">
          {estimate ? (
            <table className="runs-table">
              <caption>Model calls before starting</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col" className="num">
                    A.5 budget
                  </th>
                  <th scope="col" className="num">
                    Planned
                  </th>
                </tr>
              </thead>
              <tbody>
                {estimateRoles.map((role) => (
                  <tr key={role}>
                    <th scope="row">{role}</th>
                    <td className="num">{estimate.a5[role] ?? 0}</td>
                    <td className="num">{estimate.planned[role] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">total</th>
                  <td className="num">{total(estimate.a5)}</td>
                  <td className="num">{total(estimate.planned)}</td>
                </tr>
              </tfoot>
            </table>
          ) : (
            <p className="runs-muted">
              Press Estimate to see the calls per role (appendix A.5 budget and this search's plan) before starting.
            </p>
          )}
        </div>
      </form>
    </section>
  );
}
