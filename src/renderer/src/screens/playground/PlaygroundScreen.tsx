// The Playground: one query answered by the base model under two alignment setups, side by side
// and streamed: A is the base setup, B typically the best prompt a run found (plus ICL examples).
import { useState } from 'react';
import type { StudioApi } from '../../../../shared/studioApi';
import { ScreenHeader } from '../../components/ScreenHeader';
import { AnswerPanel } from './AnswerPanel';
import { defaultSetups, isPending, type SetupForm, SIDES, type Side, toSetupDto, validK } from './playgroundModel';
import { type QueryOptions, QueryPanel } from './QueryPanel';
import { SetupPanel } from './SetupPanel';
import { usePlaygroundCompare } from './usePlaygroundCompare';
import { usePlaygroundLists } from './usePlaygroundLists';
import './playground.css';

const DEFAULT_MAX_TOKENS = 512;

const TITLES: Record<Side, string> = { a: 'Setup A', b: 'Setup B' };
const DESCRIPTIONS: Record<Side, string> = {
  a: 'The base setup: a plain system prompt and no examples.',
  b: 'The aligned setup: the best prompt of a run, optionally with retrieved examples.',
};

export function PlaygroundScreen({ studio }: { studio: StudioApi }) {
  const lists = usePlaygroundLists(studio);
  const { answers, running, startError, run, stop } = usePlaygroundCompare(studio);
  const [request, setRequest] = useState<Omit<QueryOptions, 'connection'>>({
    promptFormat: 'drpo',
    maxTokens: DEFAULT_MAX_TOKENS,
    query: '',
  });
  const [setups, setSetups] = useState<Record<Side, SetupForm>>(defaultSetups);
  const options: QueryOptions = { ...request, connection: lists.connection };

  const updateOptions = ({ connection, ...patch }: Partial<QueryOptions>) => {
    if (connection !== undefined) lists.setConnection(connection);
    setRequest((r) => ({ ...r, ...patch }));
  };
  const updateSetup = (side: Side) => (patch: Partial<SetupForm>) =>
    setSetups((s) => ({ ...s, [side]: { ...s[side], ...patch } }));

  const setupsValid = SIDES.every((side) => setups[side].iclDataset === '' || validK(setups[side].k));
  const maxTokensValid = Number.isInteger(options.maxTokens) && options.maxTokens >= 1;
  const canRun = !running && options.connection !== '' && options.query.trim() !== '' && setupsValid && maxTokensValid;

  const onRun = () => {
    if (canRun) run({ ...options, a: toSetupDto(setups.a), b: toSetupDto(setups.b) });
  };

  return (
    <section className="screen pg-screen" data-testid="screen-playground">
      <ScreenHeader
        title="Playground"
        actions={
          <button
            type="button"
            className="ghost small"
            onClick={lists.load}
            disabled={running}
            title="Reload connections, datasets and runs"
          >
            Reload lists
          </button>
        }
      >
        One query, two alignment setups, answered side by side by the same base model.
      </ScreenHeader>

      {lists.loadErrors.length > 0 && (
        <p className="alert" role="alert">
          <strong>Cannot load:</strong> {lists.loadErrors.join('; ')}
        </p>
      )}

      <QueryPanel
        connections={lists.connections}
        options={options}
        onChange={updateOptions}
        running={running}
        canRun={canRun}
        startError={startError}
        setupBEmpty={setups.b.systemPrompt.trim() === ''}
        onRun={onRun}
        onStop={stop}
      />

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
              datasets={lists.datasets}
              runs={lists.runs}
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
