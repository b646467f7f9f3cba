// The Playground's request: the connection, prompt format and output limit, the query, Run and Stop.
import { type KeyboardEvent, useId } from 'react';
import type { ConnectionDto } from '../../../../shared/studioApi';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';

export interface QueryOptions {
  connection: string;
  promptFormat: PromptFormat;
  maxTokens: number;
  query: string;
}

interface Props {
  connections: Record<string, ConnectionDto> | null;
  options: QueryOptions;
  onChange: (patch: Partial<QueryOptions>) => void;
  running: boolean;
  canRun: boolean;
  startError: string | null;
  /** Setup B has no system prompt yet. */
  setupBEmpty: boolean;
  onRun: () => void;
  onStop: () => void;
}

export function QueryPanel(props: Props) {
  const { connections, options, onChange, running, canRun, startError, setupBEmpty, onRun, onStop } = props;
  const { connection, promptFormat, maxTokens, query } = options;
  const ids = { connection: useId(), format: useId(), maxTokens: useId(), query: useId() };
  const names = connections ? Object.keys(connections) : [];
  const maxTokensValid = Number.isInteger(maxTokens) && maxTokens >= 1;

  const onQueryKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onRun();
    }
  };

  return (
    <section className="panel pg-request" aria-label="Query">
      <div className="pg-request__options">
        <div className="field">
          <label htmlFor={ids.connection}>Connection</label>
          <select
            id={ids.connection}
            data-testid="playground-connection"
            value={connection}
            disabled={running || names.length === 0}
            onChange={(e) => onChange({ connection: e.target.value })}
          >
            {connections === null && <option value="">Loading connections…</option>}
            {connections !== null && names.length === 0 && <option value="">No saved connections</option>}
            {names.map((name) => (
              <option key={name} value={name}>
                {name} ({connections?.[name]?.plugin ?? '?'})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.format}>Prompt format</label>
          <select
            id={ids.format}
            data-testid="playground-format"
            value={promptFormat}
            disabled={running}
            onChange={(e) => onChange({ promptFormat: e.target.value as PromptFormat })}
          >
            {PROMPT_FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field pg-request__tokens">
          <label htmlFor={ids.maxTokens}>Max tokens</label>
          <input
            id={ids.maxTokens}
            data-testid="playground-max-tokens"
            type="number"
            min={1}
            step={1}
            value={Number.isFinite(maxTokens) ? maxTokens : ''}
            disabled={running}
            aria-invalid={!maxTokensValid}
            onChange={(e) => onChange({ maxTokens: Number.parseInt(e.target.value, 10) })}
          />
        </div>
      </div>
      {connections !== null && names.length === 0 && (
        <p className="muted small">
          Add a connection on the Connections screen first: it names the base model that answers.
        </p>
      )}
      <div className="field">
        <label htmlFor={ids.query}>Query</label>
        <textarea
          id={ids.query}
          data-testid="playground-query"
          rows={3}
          value={query}
          disabled={running}
          placeholder="Ask something, e.g. How do I politely decline a meeting invitation?"
          onChange={(e) => onChange({ query: e.target.value })}
          onKeyDown={onQueryKey}
        />
      </div>
      {startError && (
        <p className="alert" role="alert">
          <strong>Cannot start:</strong> {startError}
        </p>
      )}
      <div className="row pg-request__actions">
        <button
          type="button"
          className="primary"
          data-testid="run-playground"
          disabled={!canRun}
          onClick={onRun}
          title="Ctrl+Enter in the query"
        >
          {running ? 'Running…' : 'Run'}
        </button>
        <button type="button" className="danger" data-testid="stop-playground" disabled={!running} onClick={onStop}>
          Stop
        </button>
        {setupBEmpty && !running && (
          <span className="muted small">Setup B is empty: pick a finished run or write a system prompt.</span>
        )}
      </div>
    </section>
  );
}
