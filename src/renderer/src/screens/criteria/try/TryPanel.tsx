// "Try on a query" (README "Trying criteria on a query"): the catalog as edited — unsaved changes
// included — tried on one query and answer before any run: the selector's pick, the judge's
// scores and reward, the cost before and after; "Judge again" after an edit sets the two
// judgements side by side, and saved probes are re-judged in one click.
import type { AspectCatalogDto, StudioApi } from '../../../../../shared/studioApi';
import { ProbesPanel } from './ProbesPanel';
import { TryComparison } from './TryComparison';
import { TryForm } from './TryForm';
import { SelectionView, TryResultCard } from './TryResultCard';
import { estimateText } from './tryCost';
import { useAspectTry } from './useAspectTry';
import { useTrySetup } from './useTrySetup';
import './try.css';

export function TryPanel({ studio, draft }: { studio: StudioApi; draft: AspectCatalogDto }) {
  const setup = useTrySetup(studio);
  const request = setup.request(draft);
  const { estimate, estimateError, progress, latest, previous, run, cancel, judgeAgain } = useAspectTry(
    studio,
    request,
  );
  const running = progress.state === 'running';
  const latestResult = latest?.outcome.ok ? latest.outcome.result : null;

  return (
    <section className="panel try-panel" data-testid="try-panel" aria-labelledby="try-panel-title">
      <h3 id="try-panel-title">Try on a query</h3>
      <p className="muted small">
        See what the criteria do to one answer before a run: the selector picks aspects for the query (or you tick
        them), the judge scores the answer 1–5 on each. It uses the catalog as edited above, unsaved changes included.
      </p>
      <TryForm studio={studio} setup={setup} draft={draft} disabled={running} />
      <p className="try-estimate small" role="status" data-testid="try-estimate">
        {!request
          ? 'Give a query, an answer (or a connection to generate one) and the connections to use.'
          : estimateError
            ? `Cannot estimate: ${estimateError}`
            : estimate
              ? estimateText(estimate)
              : 'Estimating…'}
      </p>
      <div className="row">
        {running ? (
          <button type="button" onClick={cancel} data-testid="try-cancel">
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!request}
            onClick={() => request && run(request)}
            data-testid="try-run"
          >
            Try
          </button>
        )}
        <button
          type="button"
          disabled={running || !latestResult}
          onClick={() => judgeAgain(structuredClone(draft))}
          title="The same query and answer, judged with the catalog as it is now"
          data-testid="try-judge-again"
        >
          Judge again
        </button>
      </div>
      {running && (
        <div className="try-progress" role="status" data-testid="try-running">
          <p className="muted">Trying…</p>
          {progress.answer !== undefined && (
            <p className="small" data-testid="try-generated">
              <strong>Generated answer:</strong> {progress.answer}
            </p>
          )}
          {progress.selection && <SelectionView selection={progress.selection} testId="try-running" />}
        </div>
      )}
      {latest && previous ? (
        <TryComparison before={previous} after={latest} />
      ) : (
        latest && <TryResultCard record={latest} testId="try-result" />
      )}
      {latestResult && !previous && setup.answerMode === 'generated' && (
        <p className="small" data-testid="try-result-answer">
          <strong>Answer judged:</strong> {latestResult.answer}
        </p>
      )}
      <ProbesPanel studio={studio} draft={draft} setup={setup} latest={latestResult} />
    </section>
  );
}
