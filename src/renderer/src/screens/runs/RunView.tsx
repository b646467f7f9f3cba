// One run, live: header with status, counters and controls; the beam tree; the inspector of the
// selected node; the reward-by-depth chart. The inspector and the chart can be hidden (remembered),
// leaving the room to the tree.
import { useEffect, useRef, useState } from 'react';
import { isBudgetPause } from '../../../../shared/money';
import type { RunStatus, RunSummary, StudioApi } from '../../../../shared/studioApi';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { ItemDescription } from '../../components/ItemDescription';
import { LiveCalls } from '../../components/LiveCalls';
import { ResumeWithBudget } from '../../components/ResumeWithBudget';
import { formatScore, statusText } from '../../shell/format';
import { useStoredFlag } from '../../shell/useStoredFlag';
import { BeamTree } from './BeamTree';
import { BindBackends } from './BindBackends';
import { DownloadProgress } from './DownloadProgress';
import { NodeInspector } from './NodeInspector';
import { PanelToggle } from './PanelToggle';
import { RewardChart } from './RewardChart.lazy';
import { RunControls } from './RunControls';
import { RunCriteria } from './RunCriteria';
import { useRunStream } from './useRunStream';

interface Props {
  studio: StudioApi;
  runId: string;
  /** The run's row from the list (polled), once known. */
  summary: RunSummary | null;
  /** When `summary` was fetched (ms). */
  summaryAt: number;
  onChanged: () => void;
  onOpenRun: (id: string) => void;
  onRemoved: () => void;
  /** "Run again with changes": this run's config into the New run form. */
  onRunAgain?: () => void;
}

/** No event for this long while the list says the run moved on: the stream dropped, subscribe again. */
const STALE_MS = 4000;

export function RunView({ studio, runId, summary, summaryAt, onChanged, onOpenRun, onRemoved, onRunAgain }: Props) {
  const { snapshot, resubscribe, subscribedAt } = useRunStream(studio, runId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [inspectorOpen, toggleInspector] = useStoredFlag('drpo-studio.runView.inspector', true);
  const [chartOpen, toggleChart] = useStoredFlag('drpo-studio.runView.chart', true);
  // Enter on a node: select it, show the inspector and move the focus into it (Escape goes back).
  const inspector = useRef<HTMLDivElement>(null);
  const [focusInspector, setFocusInspector] = useState(0);
  useEffect(() => {
    if (focusInspector > 0) inspector.current?.focus();
  }, [focusInspector]);
  const openNode = (id: string) => {
    setSelectedId(id);
    if (!inspectorOpen) toggleInspector();
    setFocusInspector((n) => n + 1);
  };

  // The stream's status when its last run-level event is newer than the list's answer.
  const fromStream = snapshot.eventStatus && (summary === null || snapshot.eventStatus.ts > summaryAt);
  const status: RunStatus | null = fromStream
    ? snapshot.eventStatus!.status
    : (summary?.status ?? snapshot.eventStatus?.status ?? null);
  const failed = fromStream ? snapshot.eventStatus!.failed : (summary?.failed ?? snapshot.eventStatus?.failed);
  const pauseReason = status === 'paused' ? (snapshot.pauseReason ?? summary?.reason ?? null) : null;

  // Dropped-stream watchdog: the summary polled at summaryAt knows more than the stream has delivered,
  // and the stream had been quiet for a while by then. Both times are on this machine's clock.
  useEffect(() => {
    // subscribedAt is 0 in the render the first subscription happens in: no quiet time to judge yet
    // (judging it as quiet since 0 subscribed a second time on every opening of a run).
    if (!summary || subscribedAt === 0) return;
    const behind = summary.nodeCount > snapshot.nodes.length || summary.calls > snapshot.calls;
    const quietSince = Math.max(snapshot.lastEventAt, subscribedAt);
    if (behind && summaryAt - quietSince > STALE_MS) resubscribe();
  }, [summary, summaryAt, snapshot, subscribedAt, resubscribe]);

  const selected = selectedId ? (snapshot.byId.get(selectedId) ?? null) : null;
  const parent = selected?.parentId ? (snapshot.byId.get(selected.parentId) ?? null) : null;
  const calls = Math.max(snapshot.calls, summary?.calls ?? 0);
  const best = snapshot.bestScore ?? summary?.bestScore ?? null;
  const runError = snapshot.runError ?? summary?.error ?? null;
  const needsConnection = summary?.needsConnection ?? [];
  const source = summary?.source;
  const loading = snapshot.eventCount === 0 && (summary?.nodeCount ?? 0) > 0;

  return (
    <section className="run-view" data-testid="run-view" aria-labelledby="run-view-title">
      <header className="run-view__header">
        <div>
          <h3 id="run-view-title">
            Run <code>{runId}</code>
          </h3>
          <ItemDescription
            what="run"
            name={summary?.name}
            notes={summary?.notes}
            metaDamaged={summary?.metaDamaged}
            onSave={(description) => studio.runs.describe(runId, description).then(onChanged)}
          />
          <dl className="runs-facts">
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`run-status run-status--${status ?? 'unknown'}`} data-testid="run-view-status">
                  {status ? statusText(status, failed) : '…'}
                </span>
              </dd>
            </div>
            <div>
              <dt>Stage</dt>
              <dd>{summary?.stage ?? '…'}</dd>
            </div>
            <div>
              <dt>Nodes</dt>
              <dd>{snapshot.nodes.length}</dd>
            </div>
            <div>
              <dt>Calls</dt>
              <dd data-testid="run-calls">{calls}</dd>
            </div>
            <div>
              <dt>Tokens</dt>
              <dd>{snapshot.tokens.toLocaleString()}</dd>
            </div>
            {snapshot.costUsd > 0 && (
              <div>
                <dt>Cost</dt>
                <dd>${snapshot.costUsd.toFixed(4)}</dd>
              </div>
            )}
            <div>
              <dt>Best score</dt>
              <dd data-testid="run-best-score">{formatScore(best)}</dd>
            </div>
            {(snapshot.failedCalls > 0 || snapshot.parseFailures > 0) && (
              <div>
                <dt>Problems</dt>
                <dd title="failed calls / unusable structured replies">
                  ⚠ {snapshot.failedCalls} failed · {snapshot.parseFailures} parse
                </dd>
              </div>
            )}
          </dl>
          <LiveCalls source={studio.runs} id={runId} running={status === 'running'} />
          <RunCriteria studio={studio} runId={runId} />
        </div>
        {source ? (
          // Nothing of a published trace runs or exports: it can only be removed.
          <fieldset className="runs-actions plain-group" aria-label="Run controls">
            <ConfirmRemove
              label={`run ${runId}`}
              title="Delete this copy of the published trace"
              onRemove={async () => {
                await studio.runs.remove(runId);
                onRemoved();
              }}
              testId="remove-run"
            />
          </fieldset>
        ) : (
          <RunControls
            studio={studio}
            runId={runId}
            stage={summary?.stage ?? null}
            status={status}
            selectedNodeId={selectedId}
            needsConnection={needsConnection.length > 0}
            onChanged={onChanged}
            onForked={onOpenRun}
            onRemoved={onRemoved}
          />
        )}
        {!source && onRunAgain && (
          <button type="button" data-testid="run-again" onClick={onRunAgain}>
            Run again with changes
          </button>
        )}
      </header>

      {needsConnection.length > 0 && (
        <BindBackends studio={studio} runId={runId} needsConnection={needsConnection} onBound={onChanged} />
      )}

      {source && (
        <p className="runs-notice" role="status" data-testid="run-read-only">
          Read-only: the search the paper published for <strong>{source.model}</strong>, one node per level — the prompt
          its beam search kept and the judge's scores of it (the trace's level N is node trace-N, at level N−1 here).
          The trace holds no queries, no answers and none of the beam's other candidates, so none are shown, and nothing
          of it can run.
        </p>
      )}
      {runError && status === 'failed' && (
        <p className="runs-error" role="alert">
          The run failed: {runError}
        </p>
      )}
      {pauseReason && (
        <p className="runs-notice" role="status" data-testid="run-pause-reason">
          Paused: {pauseReason}.
          {summary?.resumesWhenBack && ' The studio checks the backend and resumes the run by itself when it answers.'}
        </p>
      )}
      {pauseReason && isBudgetPause(pauseReason) && (
        <ResumeWithBudget resume={(budget) => studio.runs.resume(runId, { budget })} onResumed={onChanged} />
      )}
      {status === 'finished-with-failures' && (
        <p className="runs-notice" role="status" data-testid="run-failures">
          Finished with failures: {failed ?? 'some'} node{failed === 1 ? ' was' : 's were'} left without a judgement or
          without successors because their calls failed for good; their levels were ranked without them (the result
          lists which).
        </p>
      )}
      {/* A run stopped mid-download (its process killed) logged nothing after it: no bar then. */}
      {snapshot.download && status === 'running' && <DownloadProgress download={snapshot.download} />}
      {snapshot.warnings.length > 0 && (
        <ul className="runs-warnings" aria-label="Warnings" data-testid="run-warnings">
          {snapshot.warnings.map((warning) => (
            <li key={warning}>⚠ {warning}</li>
          ))}
        </ul>
      )}
      {snapshot.notices.length > 0 && (
        <ul className="runs-muted" aria-label="Notes" data-testid="run-notices">
          {snapshot.notices.map((notice) => (
            <li key={notice}>ℹ {notice}</li>
          ))}
        </ul>
      )}
      {loading && <p className="runs-muted">Loading the run's events…</p>}

      <div className={`run-view__body${inspectorOpen ? '' : ' run-view__body--wide'}`}>
        <BeamTree
          nodes={snapshot.nodes}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onOpen={openNode}
          running={status === 'running'}
          tools={
            <>
              <PanelToggle label="Inspector" open={inspectorOpen} onToggle={toggleInspector} controls="run-inspector" />
              <PanelToggle label="Chart" open={chartOpen} onToggle={toggleChart} controls="run-chart" />
            </>
          }
        />
        {inspectorOpen && (
          // biome-ignore lint/a11y/noStaticElementInteractions: Escape returns the focus to the node it came from
          <div
            id="run-inspector"
            className="run-view__inspector"
            ref={inspector}
            tabIndex={-1}
            onKeyDown={(event) => {
              if (event.key !== 'Escape' || !selectedId) return;
              document.querySelector<HTMLElement>(`[data-testid="tree-node-${CSS.escape(selectedId)}"]`)?.focus();
            }}
          >
            <NodeInspector node={selected} parent={parent} published={source !== undefined} />
          </div>
        )}
      </div>
      {chartOpen && (
        <div id="run-chart">
          <RewardChart points={snapshot.levels} />
        </div>
      )}
      <p className="runs-muted runs-legend">
        Nodes are prompt versions colored by reward (red 1 → green 5); bold border: kept in its level's beam; faded:
        pruned; grey ⚠: failed or unscored. Edges are the optimizer's rewrites (dashed: carried over unchanged).
      </p>
    </section>
  );
}
