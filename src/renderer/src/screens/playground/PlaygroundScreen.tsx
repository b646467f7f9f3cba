// The Playground: one query answered by the base model under two alignment setups, side by side
// and streamed: A is the base setup, B typically the best prompt a run found (plus ICL examples).
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import type {
  ConnectionDto,
  DatasetSummary,
  PlaygroundEvent,
  PlaygroundRequest,
  RunSummary,
  StudioApi,
} from '../../../../shared/studioApi';
import { PROMPT_FORMATS, type PromptFormat } from '../../shell/promptFormats';
import { AnswerPanel } from './AnswerPanel';
import {
  type Answer,
  applyEvent,
  defaultSetups,
  idleAnswers,
  isPending,
  type SetupForm,
  SIDES,
  type Side,
  toSetupDto,
  validK,
  waitingAnswers,
} from './playgroundModel';
import { SetupPanel } from './SetupPanel';
import './playground.css';

const DEFAULT_MAX_TOKENS = 512;

const TITLES: Record<Side, string> = { a: 'Setup A', b: 'Setup B' };
const DESCRIPTIONS: Record<Side, string> = {
  a: 'The base setup: a plain system prompt and no examples.',
  b: 'The aligned setup: the best prompt of a run, optionally with retrieved examples.',
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function PlaygroundScreen({ studio }: { studio: StudioApi }) {
  const [connections, setConnections] = useState<Record<string, ConnectionDto> | null>(null);
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [loadErrors, setLoadErrors] = useState<string[]>([]);

  const [connection, setConnection] = useState('');
  const [promptFormat, setPromptFormat] = useState<PromptFormat>('drpo');
  const [maxTokens, setMaxTokens] = useState(DEFAULT_MAX_TOKENS);
  const [query, setQuery] = useState('');
  const [setups, setSetups] = useState<Record<Side, SetupForm>>(defaultSetups);
  const [answers, setAnswers] = useState<Record<Side, Answer>>(idleAnswers);
  const [startError, setStartError] = useState<string | null>(null);

  const unsubscribe = useRef<(() => void) | null>(null);
  /** Which compare the listener belongs to: events of an earlier (stopped) one are dropped. */
  const generation = useRef(0);
  const ids = { connection: useId(), format: useId(), maxTokens: useId(), query: useId() };

  const load = useCallback(() => {
    const errors: string[] = [];
    const note = (what: string) => (e: unknown) => {
      errors.push(`${what}: ${errorMessage(e)}`);
      setLoadErrors([...errors]);
    };
    setLoadErrors([]);
    studio.connections
      .list()
      .then((list) => {
        setConnections(list);
        setConnection((current) => (current && Object.hasOwn(list, current) ? current : (Object.keys(list)[0] ?? '')));
      })
      .catch(note('Connections'));
    studio.datasets
      .list()
      .then((list) =>
        setDatasets(list.filter((d) => d.kind === 'icl-examples').sort((x, y) => x.name.localeCompare(y.name))),
      )
      .catch(note('Datasets'));
    studio.runs
      .list()
      .then((list) =>
        setRuns(
          list
            .filter((r) => r.stage === 'system-prompt' && r.status === 'finished')
            .sort((x, y) => y.createdAt - x.createdAt),
        ),
      )
      .catch(note('Runs'));
  }, [studio]);

  useEffect(load, [load]);

  const running = SIDES.some((side) => isPending(answers[side]));

  // Both sides ended (done or failed): the subscription has nothing more to say.
  useEffect(() => {
    if (!running && unsubscribe.current) {
      unsubscribe.current();
      unsubscribe.current = null;
    }
  }, [running]);

  // Leaving the screen stops a compare in flight.
  useEffect(
    () => () => {
      generation.current += 1;
      unsubscribe.current?.();
      unsubscribe.current = null;
    },
    [],
  );

  const updateSetup = (side: Side) => (patch: Partial<SetupForm>) =>
    setSetups((s) => ({ ...s, [side]: { ...s[side], ...patch } }));

  const names = connections ? Object.keys(connections) : [];
  const setupsValid = SIDES.every((side) => setups[side].iclDataset === '' || validK(setups[side].k));
  const maxTokensValid = Number.isInteger(maxTokens) && maxTokens >= 1;
  const canRun = !running && connection !== '' && query.trim() !== '' && setupsValid && maxTokensValid;

  const run = () => {
    if (!canRun) return;
    const request: PlaygroundRequest = {
      connection,
      promptFormat,
      query,
      a: toSetupDto(setups.a),
      b: toSetupDto(setups.b),
      maxTokens,
    };
    generation.current += 1;
    const mine = generation.current;
    setStartError(null);
    setAnswers(waitingAnswers());
    try {
      unsubscribe.current = studio.playground.compare(request, (event: PlaygroundEvent) => {
        if (generation.current === mine) setAnswers((current) => applyEvent(current, event));
      });
    } catch (e) {
      unsubscribe.current = null;
      setStartError(errorMessage(e));
      setAnswers(idleAnswers());
    }
  };

  const stop = () => {
    generation.current += 1;
    unsubscribe.current?.();
    unsubscribe.current = null;
    setAnswers((current) => {
      const next = { ...current };
      for (const side of SIDES) if (isPending(current[side])) next[side] = { ...current[side], status: 'stopped' };
      return next;
    });
  };

  const onQueryKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  };

  return (
    <section className="screen pg-screen" data-testid="screen-playground">
      <div className="screen-header">
        <div>
          <h2>Playground</h2>
          <p>One query, two alignment setups, answered side by side by the same base model.</p>
        </div>
        <button
          type="button"
          className="ghost small"
          onClick={load}
          disabled={running}
          title="Reload connections, datasets and runs"
        >
          Reload lists
        </button>
      </div>

      {loadErrors.length > 0 && (
        <p className="alert" role="alert">
          <strong>Cannot load:</strong> {loadErrors.join('; ')}
        </p>
      )}

      <section className="panel pg-request" aria-label="Query">
        <div className="pg-request__options">
          <div className="field">
            <label htmlFor={ids.connection}>Connection</label>
            <select
              id={ids.connection}
              data-testid="playground-connection"
              value={connection}
              disabled={running || names.length === 0}
              onChange={(e) => setConnection(e.target.value)}
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
              onChange={(e) => setPromptFormat(e.target.value as PromptFormat)}
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
              onChange={(e) => setMaxTokens(Number.parseInt(e.target.value, 10))}
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
            onChange={(e) => setQuery(e.target.value)}
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
            onClick={run}
            title="Ctrl+Enter in the query"
          >
            {running ? 'Running…' : 'Run'}
          </button>
          <button type="button" className="danger" data-testid="stop-playground" disabled={!running} onClick={stop}>
            Stop
          </button>
          {setups.b.systemPrompt.trim() === '' && !running && (
            <span className="muted small">Setup B is empty: pick a finished run or write a system prompt.</span>
          )}
        </div>
      </section>

      <div className="pg-columns">
        {SIDES.map((side) => (
          <div className="pg-column" key={side}>
            <SetupPanel
              studio={studio}
              side={side}
              title={TITLES[side]}
              description={DESCRIPTIONS[side]}
              form={setups[side]}
              onChange={updateSetup(side)}
              datasets={datasets}
              runs={runs}
              disabled={running}
            />
            <AnswerPanel
              side={side}
              title={TITLES[side]}
              answer={answers[side]}
              otherPending={side === 'b' && isPending(answers.a)}
            />
          </div>
        ))}
      </div>
    </section>
  );
}
