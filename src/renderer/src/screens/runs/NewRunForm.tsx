// The New run form: connections for the roles, the stage, the search and retrieval sizes; an
// estimate of the calls, tokens and dollars before anything runs; a budget; then Start.
import { useId } from 'react';
import { LIMITS } from '../../../../shared/requestLimits';
import type { RunStage, StudioApi } from '../../../../shared/studioApi';
import { BudgetFields } from '../../components/BudgetFields';
import { ConcurrencyField } from '../../shell/ConcurrencyField';
import { NumberField } from '../../shell/NumberField';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';
import { ALGORITHMS, type Algorithm } from './newRunConfig';
import { RoleOverrides } from './RoleOverrides';
import { RunAgainNotice } from './RunAgainNotice';
import { RunEstimate } from './RunEstimate';
import { useNewRunForm } from './useNewRunForm';
import type { RunAgain } from './useRunAgain';

interface Props {
  studio: StudioApi;
  onStarted: (id: string) => void;
  /** A run's config to start from ("run again with changes"), and how to drop it. */
  runAgain?: Pick<RunAgain, 'prefill' | 'clear'>;
}

function RunsNumberField(props: Omit<Parameters<typeof NumberField>[0], 'className'>) {
  return <NumberField {...props} className="runs-field runs-field--narrow" />;
}

export function NewRunForm({ studio, onStarted, runAgain }: Props) {
  const prefill = runAgain?.prefill;
  const form = useNewRunForm(studio, onStarted, prefill && 'values' in prefill ? prefill.values : undefined);
  const { connections, connectionsError, loadConnections, names, values, update, setStage } = form;
  const { ready, busy, error, estimate, runEstimate, start } = form;
  const ids = { stage: useId(), connection: useId(), algorithm: useId(), format: useId() };

  return (
    <section className="runs-panel" aria-labelledby="new-run-title">
      <h3 id="new-run-title">New run</h3>
      <form className="new-run-form" data-testid="new-run-form" onSubmit={start}>
        {runAgain && prefill && (
          <RunAgainNotice prefill={prefill} savedConnections={connections && names} onClear={runAgain.clear} />
        )}
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
          <div className="runs-field">
            <label htmlFor={ids.format}>Prompt format (base model)</label>
            <select
              id={ids.format}
              data-testid="run-prompt-format"
              value={values.promptFormat}
              onChange={(e) => update({ promptFormat: e.target.value as PromptFormat | 'automatic' })}
            >
              <option value="automatic">automatic — drpo, or drpo-chat where the connection only chats</option>
              {PROMPT_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
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
            max={LIMITS.width}
            onChange={(width) => update({ width })}
          />
          <RunsNumberField
            label="M (samples)"
            hint="rewrites per state"
            value={values.samples}
            min={1}
            max={LIMITS.samples}
            onChange={(samples) => update({ samples })}
          />
          <RunsNumberField
            label="D (depth)"
            hint="evaluated levels, the root's included"
            value={values.depth}
            min={1}
            max={LIMITS.depth}
            onChange={(depth) => update({ depth })}
          />
          <RunsNumberField
            label="K (examples)"
            hint="ICL examples retrieved per query"
            value={values.k}
            min={0}
            max={LIMITS.retrievalK}
            onChange={(k) => update({ k })}
          />
          <ConcurrencyField
            className="runs-field"
            hint="Per connection, for every role on it. auto finds what the server serves; a pinned number is lowered to it"
            value={values.concurrency}
            onChange={(concurrency) => update({ concurrency })}
            testId="run-concurrency"
          />
        </div>

        <div className="runs-row">
          <BudgetFields
            className="runs-field runs-field--narrow"
            dollars={values.budgetDollars}
            tokens={values.budgetTokens}
            onChange={update}
            testId="run-budget"
          />
        </div>

        <RoleOverrides form={form} />

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

        <RunEstimate estimate={estimate} />
      </form>
    </section>
  );
}
