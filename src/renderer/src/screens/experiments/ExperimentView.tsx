// One experiment: its name and notes, its progress live (answers judged of all), cancel, resume,
// duplicate and remove, what it compares,
// and once finished its result: the transfer heatmap, the per-aspect table (the paper's Table 1)
// with just-eval's figure beside the honest one and then alone, scores per category, score
// distributions, the cost per setup (each table saved as a file or copied, CSV or Markdown), and
// "Check the judge" (JudgeCheckPanel.tsx).
import { useState } from 'react';
import { isBudgetPause } from '../../../../shared/money';
import type { StudioApi } from '../../../../shared/studioApi';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { ItemDescription } from '../../components/ItemDescription';
import { LiveCalls } from '../../components/LiveCalls';
import { ResumeWithBudget } from '../../components/ResumeWithBudget';
import { watchEnd } from '../../shell/endNotices';
import { errorMessage, statusText } from '../../shell/format';
import { CategoryChart } from './CategoryChart.lazy';
import { ExperimentItems } from './ExperimentItems';
import { JudgeCheckPanel } from './JudgeCheckPanel';
import { ResultTable } from './ResultTable';
import { protocolText } from './resultModel';
import { ScoreDistributions } from './ScoreDistributions.lazy';
import { TableExport } from './TableExport';
import { TransferHeatmap } from './TransferHeatmap';
import { useExperiment } from './useExperiment';

interface Props {
  studio: StudioApi;
  id: string;
  onChanged: () => void;
  onRemoved: () => void;
  /** Opens another experiment (its duplicate). */
  onOpen: (id: string) => void;
}

interface SavedConfig {
  evalSet?: { file?: string; split?: string; sample?: { size: number; seed: number } };
  judge?: { backend?: string; allowNotApplicable?: boolean; protocol?: string };
  backends?: Record<string, unknown>;
  baseline?: string;
}

export function ExperimentView({ studio, id, onChanged, onRemoved, onOpen }: Props) {
  const { detail, progress, status, error, refresh } = useExperiment(studio, id);
  const [busy, setBusy] = useState<'cancel' | 'resume' | 'duplicate' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const act = async (name: 'cancel' | 'resume' | 'duplicate', action: () => Promise<void>) => {
    setBusy(name);
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setBusy(null);
      refresh();
      onChanged();
    }
  };

  if (error && !detail) {
    return (
      <div className="alert" role="alert">
        <strong>Cannot open experiment {id}.</strong> {error}
      </div>
    );
  }
  if (!detail) return <p className="muted">Loading experiment…</p>;

  const { summary, result, tables = [] } = detail;
  const judged = progress?.judged ?? detail.progress.judged;
  const unjudged = progress?.unjudged ?? detail.progress.unjudged;
  const answered = progress?.answered ?? detail.progress.answered;
  const calls = progress?.calls ?? detail.progress.calls;
  const costUsd = progress?.costUsd ?? detail.progress.costUsd;
  const config = detail.config as SavedConfig;
  const table = (name: string) => tables.find((t) => t.name === name);
  const aspects = table('aspects');
  const justEvalAspects = table('aspects-just-eval');
  const cost = table('cost');
  const transfer = table('transfer');

  return (
    <article className="experiments-view" data-testid="experiment-view" aria-labelledby="experiment-title">
      <header className="panel">
        <div className="row">
          <h3 id="experiment-title" className="experiments-id">
            Experiment {id}
          </h3>
          <span className={`badge experiments-status experiments-status--${status}`} data-testid="experiment-status">
            {status ? statusText(status, summary.failed) : '…'}
          </span>
        </div>
        <ItemDescription
          what="experiment"
          name={summary.name}
          notes={summary.notes}
          metaDamaged={summary.metaDamaged}
          onSave={async (description) => {
            await studio.experiments.describe(id, description);
            refresh();
            onChanged();
          }}
        />
        <div className="experiments-progress" data-testid="experiment-progress">
          <progress max={summary.total} value={judged} aria-label="Answers judged" />
          <span data-testid="experiment-judged">
            {judged} / {summary.total} judged
          </span>
          <span className="muted small">
            {answered} answered · {unjudged} unjudged
            {detail.progress.failed > 0 ? ` · ${detail.progress.failed} failed` : ''} · {calls} calls
            {costUsd > 0 ? ` · $${costUsd.toFixed(4)}` : ''}
          </span>
        </div>
        <LiveCalls source={studio.experiments} id={id} running={status === 'running'} />
        <dl className="kv small">
          <div>
            <dt>Items</dt>
            <dd>{summary.items}</dd>
          </div>
          <div>
            <dt>Setups</dt>
            <dd>{summary.setups.join(', ')}</dd>
          </div>
          <div>
            <dt>Targets</dt>
            <dd>{summary.targets.join(', ')}</dd>
          </div>
          {config.evalSet?.file && (
            <div>
              <dt>Evaluation set</dt>
              <dd title={config.evalSet.file}>
                {config.evalSet.file.split(/[\\/]/).pop()} ({config.evalSet.split ?? 'all'}
                {config.evalSet.sample
                  ? `, sample ${config.evalSet.sample.size} seed ${config.evalSet.sample.seed}`
                  : ''}
                )
              </dd>
            </div>
          )}
          {config.judge?.backend && (
            <div>
              <dt>Judge</dt>
              <dd>
                {config.judge.backend.replace(/^conn-/, '')}
                {config.judge.allowNotApplicable === false ? ' (no N/A)' : ''}
              </dd>
            </div>
          )}
          <div>
            <dt>Judge prompts</dt>
            <dd data-testid="experiment-judge-protocol">{protocolText(result, config.judge?.protocol)}</dd>
          </div>
        </dl>
        <fieldset className="row plain-group" aria-label="Experiment controls">
          <button
            type="button"
            data-testid="cancel-experiment"
            disabled={status !== 'running' || busy !== null}
            onClick={() => act('cancel', () => studio.experiments.cancel(id))}
          >
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
          <button
            type="button"
            data-testid="resume-experiment"
            disabled={(status !== 'cancelled' && status !== 'failed' && status !== 'paused') || busy !== null}
            title="Continues from its log, paying for nothing twice"
            onClick={() =>
              act('resume', async () => {
                await studio.experiments.resume(id);
                watchEnd('experiment', id, { resumed: true });
              })
            }
          >
            {busy === 'resume' ? 'Resuming…' : 'Resume'}
          </button>
          <button
            type="button"
            data-testid="duplicate-experiment"
            disabled={busy !== null}
            title="A new experiment of the same config (its evaluation set read again), started now"
            onClick={() =>
              act('duplicate', async () => {
                const copy = await studio.experiments.duplicate(id);
                watchEnd('experiment', copy.id);
                onOpen(copy.id);
              })
            }
          >
            {busy === 'duplicate' ? 'Duplicating…' : 'Duplicate'}
          </button>
          <ConfirmRemove
            label={`experiment ${id}`}
            disabled={status === 'running' || busy !== null}
            title={status === 'running' ? 'Cancel the experiment first' : 'Delete the experiment and its folder'}
            onRemove={async () => {
              await studio.experiments.remove(id);
              onRemoved();
            }}
            testId="remove-experiment"
          />
        </fieldset>
        {summary.error && status === 'failed' && (
          <p className="alert" role="alert" data-testid="experiment-error">
            <strong>Failed:</strong> {summary.error} — Resume continues it from its log.
          </p>
        )}
        {summary.reason && status === 'paused' && (
          <p className="alert" role="status" data-testid="experiment-pause-reason">
            <strong>Paused:</strong> {summary.reason}.
            {summary.resumesWhenBack &&
              ' The studio checks the backend and resumes the experiment by itself when it answers.'}
          </p>
        )}
        {summary.reason && status === 'paused' && isBudgetPause(summary.reason) && (
          <ResumeWithBudget
            resume={(budget) => studio.experiments.resume(id, { budget })}
            onResumed={() => {
              refresh();
              onChanged();
            }}
          />
        )}
        {status === 'finished-with-failures' && (
          <p className="alert" role="status" data-testid="experiment-failures">
            <strong>Finished with failures:</strong> {summary.failed ?? 'some'} answer
            {summary.failed === 1 ? ' has' : 's have'} no score because their calls failed for good; the scores leave
            them out (the result lists which).
          </p>
        )}
        {actionError && (
          <p className="alert" role="alert">
            {actionError}
          </p>
        )}
      </header>

      {result ? (
        <>
          <section className="panel">
            <TransferHeatmap result={result} />
            {transfer && <TableExport table={transfer} experimentId={id} />}
          </section>
          {aspects && (
            <section className="panel">
              <ResultTable table={aspects} testId="aspect-table" />
              <TableExport table={aspects} experimentId={id} />
              {justEvalAspects && <ResultTable table={justEvalAspects} testId="just-eval-aspect-table" />}
              {justEvalAspects && <TableExport table={justEvalAspects} experimentId={id} />}
            </section>
          )}
          <section className="panel">
            <CategoryChart result={result} tables={tables} />
          </section>
          <section className="panel">
            <ScoreDistributions result={result} />
          </section>
          {cost && (
            <section className="panel">
              <ResultTable table={cost} testId="cost-table" />
              <TableExport table={cost} experimentId={id} />
              <p className="muted small">
                Wall time {(result.wallMs / 1000).toFixed(1)} s. Tables as Markdown and CSV: the experiment folder's
                tables/.
              </p>
            </section>
          )}
          <JudgeCheckPanel
            studio={studio}
            experimentId={id}
            backends={Object.keys(config.backends ?? {})}
            judge={config.judge?.backend ?? ''}
          />
        </>
      ) : (
        <div className="panel experiments-waiting">
          <p className="muted">
            {status === 'running'
              ? 'The results appear here once every answer is judged.'
              : 'No result yet: the experiment stopped before the end. Resume continues it from its log, paying for nothing twice.'}
          </p>
        </div>
      )}
      <section className="panel">
        <ExperimentItems studio={studio} id={id} setups={summary.setups} baseline={config.baseline} version={judged} />
      </section>
    </article>
  );
}
