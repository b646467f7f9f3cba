// Probes: the example on the form saved with the reward the user expects (and the aspects ticked),
// the list, and "Re-judge all" with the catalog as edited: expected against got per probe, and
// the change since the previous re-judge.
import { useId, useState } from 'react';
import type { AspectTryResult } from '../../../../../shared/aspectTry';
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { plural } from '../../../shell/format';
import { signed } from './scoreChanges';
import { spentText } from './tryCost';
import { type ProbeOutcome, useProbes } from './useProbes';
import type { TrySetup } from './useTrySetup';

interface Props {
  studio: StudioApi;
  draft: AspectCatalogDto;
  setup: TrySetup;
  /** The latest try's result: its answer stands in for a generated one. */
  latest: AspectTryResult | null;
}

const short = (text: string) => (text.length > 70 ? `${text.slice(0, 69)}…` : text);
const reward = (o: ProbeOutcome | undefined) => (o?.ok ? o.reward : null);

export function ProbesPanel({ studio, draft, setup, latest }: Props) {
  const id = useId();
  const probes = useProbes(studio);
  const [expected, setExpected] = useState(4);
  const answer =
    setup.answerMode === 'typed' ? setup.answer : latest && latest.query === setup.query ? latest.answer : '';
  const names = new Set(draft.aspects.map((a) => a.name));
  const ticked = setup.ticked.filter((n) => names.has(n));
  const canSave = setup.query.trim() !== '' && answer.trim() !== '' && expected >= 1 && expected <= 5;
  const list = probes.probes ?? [];
  const { latest: now, before } = probes;

  return (
    <section className="try-probes" data-testid="probes" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Probes</h4>
      <p className="muted small">
        Examples with the reward you expect, judged again in one click after an edit, to tune a rubric against your own
        expectations.
      </p>
      <div className="row">
        <label htmlFor={`${id}-expected`}>Expected reward</label>
        <input
          id={`${id}-expected`}
          type="number"
          min={1}
          max={5}
          step={0.5}
          value={expected}
          onChange={(e) => setExpected(e.target.valueAsNumber)}
          style={{ width: '5em' }}
          data-testid="probe-expected"
        />
        <button
          type="button"
          disabled={!canSave}
          onClick={() =>
            void probes.add({ query: setup.query, answer, expected, ...(ticked.length > 0 ? { aspects: ticked } : {}) })
          }
          title={canSave ? 'Save this query and answer as a probe' : 'Needs a query, an answer and a reward of 1–5'}
          data-testid="probe-save"
        >
          Save as probe
        </button>
        <span style={{ flex: 1 }} />
        {probes.running ? (
          <>
            <span className="small muted" role="status" data-testid="probes-progress">
              Re-judging {probes.running.done} of {probes.running.total}…
            </span>
            <button type="button" onClick={probes.cancel} data-testid="probes-cancel">
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            disabled={list.length === 0 || setup.chosen.judge === ''}
            onClick={() => void probes.rejudgeAll(structuredClone(draft), setup.chosen)}
            data-testid="probes-rejudge"
          >
            Re-judge all ({plural(list.length, 'probe')})
          </button>
        )}
      </div>
      {probes.error && (
        <p className="alert" role="alert" data-testid="probes-error">
          {probes.error}
        </p>
      )}
      {list.length > 0 && (
        <table className="try-scores" data-testid="probes-table">
          <thead>
            <tr>
              <th scope="col">Query</th>
              <th scope="col">Aspects</th>
              <th scope="col">Expected</th>
              <th scope="col">Got</th>
              <th scope="col">Got − expected</th>
              <th scope="col">Since previous re-judge</th>
              <th scope="col" aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {list.map((p) => {
              const got = now?.outcomes[p.id];
              const was = reward(before?.outcomes[p.id]);
              return (
                <tr key={p.id} data-testid={`probe-${p.id}`} className="probe-row">
                  <td title={`${p.query}\n\n${p.answer}`}>{short(p.query)}</td>
                  <td className="small">{p.aspects?.join(', ') ?? 'selector picks'}</td>
                  <td data-testid="probe-expected-value">{p.expected}</td>
                  <td data-testid="probe-got">
                    {got === undefined ? (
                      '–'
                    ) : got.ok ? (
                      got.reward.toFixed(2)
                    ) : (
                      <span className="small" role="alert" style={{ color: 'var(--danger)' }}>
                        no score: {got.error}
                      </span>
                    )}
                  </td>
                  <td data-testid="probe-off">{got?.ok ? signed(got.reward - p.expected, 2) : '–'}</td>
                  <td data-testid="probe-change">{got?.ok && was !== null ? signed(got.reward - was, 2) : '–'}</td>
                  <td>
                    <button
                      type="button"
                      className="ghost danger small"
                      onClick={() => void probes.remove(p.id)}
                      aria-label={`Remove the probe "${short(p.query)}"`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {now && (
        <p className="muted small" data-testid="probes-spent">
          Re-judged at {new Date(now.at).toLocaleTimeString()} · {spentText(now.spent)}
        </p>
      )}
    </section>
  );
}
