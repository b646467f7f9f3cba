// "Check the judge" on a finished experiment (README "Can the judge be trusted?"): re-judge a
// sample of its answers N times with one judge (each aspect's spread) or once with each of two
// judges (their agreement), the calls estimated before Start, the result as a table.
import { useEffect, useId, useMemo, useState } from 'react';
import type { JudgeCheckRequest } from '../../../../shared/judgeCheckRequest';
import { estimateLine, judgeCheckTable } from '../../../../shared/judgeCheckTable';
import type { StudioApi } from '../../../../shared/studioApi';
import { ConnectionSelect } from '../../components/ConnectionSelect';
import { WholeNumberInput } from '../../shell/WholeNumberInput';
import { ResultTable } from './ResultTable';
import { useJudgeCheck } from './useJudgeCheck';

interface Props {
  studio: StudioApi;
  experimentId: string;
  /** The experiment's own backends (its judge first) and its judge's name. */
  backends: string[];
  judge: string;
}

type Kind = JudgeCheckRequest['kind'];

export function JudgeCheckPanel({ studio, experimentId, backends, judge }: Props) {
  const [connections, setConnections] = useState<string[]>([]);
  useEffect(() => {
    studio.connections.list().then(
      (c) => setConnections(Object.keys(c)),
      () => setConnections([]),
    );
  }, [studio]);
  // A judge is a backend of the experiment or a saved connection (backends first, as the check resolves them).
  const judges = useMemo(() => [...new Set([judge, ...backends, ...connections])], [judge, backends, connections]);
  const ids = useId();
  const [kind, setKind] = useState<Kind>('variance');
  const [judgeA, setJudgeA] = useState(judge);
  const [judgeB, setJudgeB] = useState(judge);
  const [times, setTimes] = useState(3);
  const [sample, setSample] = useState(10);
  const valid =
    Number.isInteger(sample) && sample >= 1 && (kind === 'agreement' || (Number.isInteger(times) && times >= 2));
  const request: JudgeCheckRequest | null = !valid
    ? null
    : kind === 'variance'
      ? { experiment: experimentId, kind, judge: judgeA, times, sample }
      : { experiment: experimentId, kind, judges: [judgeA, judgeB], sample };
  const { estimate, estimateError, run, results, start, cancel } = useJudgeCheck(studio, request);
  const running = run.state === 'running';

  return (
    <section className="panel judge-check" data-testid="judge-check">
      <h3>Check the judge</h3>
      <p className="muted small">
        Judge a sample of this experiment's answers again, with its judge protocol: several times by one judge (how far
        its scores spread), or once by each of two judges (how well they agree), before paying for a full experiment.
      </p>
      <fieldset className="judge-check-form" disabled={running}>
        <div role="radiogroup" aria-label="Check">
          {(
            [
              ['variance', 'Score spread (one judge, N times)'],
              ['agreement', "Two judges' agreement"],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="judge-check-kind"
                checked={kind === value}
                onChange={() => setKind(value)}
                data-testid={`judge-check-${value}`}
              />{' '}
              {label}
            </label>
          ))}
        </div>
        <span>
          <label htmlFor={`${ids}-a`}>{kind === 'variance' ? 'Judge' : 'Judge A'}</label>{' '}
          <ConnectionSelect id={`${ids}-a`} value={judgeA} names={judges} onChange={setJudgeA} testId="judge-check-a" />
        </span>
        {kind === 'agreement' && (
          <span>
            <label htmlFor={`${ids}-b`}>Judge B</label>{' '}
            <ConnectionSelect
              id={`${ids}-b`}
              value={judgeB}
              names={judges}
              onChange={setJudgeB}
              testId="judge-check-b"
            />
          </span>
        )}
        {kind === 'variance' && (
          <span>
            <label htmlFor={`${ids}-times`}>Times per answer</label>{' '}
            <WholeNumberInput
              id={`${ids}-times`}
              value={times}
              min={2}
              max={20}
              onChange={setTimes}
              testId="judge-check-times"
            />
          </span>
        )}
        <span>
          <label htmlFor={`${ids}-sample`}>Answers (sample)</label>{' '}
          <WholeNumberInput
            id={`${ids}-sample`}
            value={sample}
            min={1}
            max={1000}
            onChange={setSample}
            testId="judge-check-sample"
          />
        </span>
      </fieldset>
      <p className="judge-check-estimate" data-testid="judge-check-estimate" role="status">
        {estimateError
          ? `Cannot estimate: ${estimateError}`
          : estimate
            ? `Estimate: ${estimateLine(kind, estimate, times)}.`
            : 'Estimating…'}
      </p>
      <div className="judge-check-actions">
        {running ? (
          <>
            <span data-testid="judge-check-progress">
              Judged {run.done} of {run.total}…
            </span>{' '}
            <button type="button" onClick={cancel} data-testid="judge-check-cancel">
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!estimate}
            onClick={start}
            data-testid="judge-check-start"
          >
            Start
          </button>
        )}
      </div>
      {run.state === 'failed' && (
        <p className="alert" role="alert">
          {run.error}
        </p>
      )}
      {[results.variance, results.agreement].map(
        (result) =>
          result && (
            <ResultTable
              key={result.kind}
              table={judgeCheckTable(result)}
              testId={`judge-check-table-${result.kind}`}
            />
          ),
      )}
      {(results.variance || results.agreement) && (
        <p className="muted small">
          N/A and unreadable replies are counted apart, never as scores. Each check is saved with every reply in the
          experiment folder's judge-checks/.
        </p>
      )}
    </section>
  );
}
