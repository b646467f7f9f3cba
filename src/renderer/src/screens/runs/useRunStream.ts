// Live state of one run: subscribes to its event stream, applies each event to a RunTree and
// publishes a snapshot at most once per animation frame, so hundreds of events in a burst cost
// one render. Unchanged nodes keep their object identity between snapshots (memoised cards and
// layout depend on that). Re-subscribes from the last seq seen when asked to (a dropped stream).
import { useCallback, useEffect, useRef, useState } from 'react';
import { type DownloadShown, downloadAfter } from '../../../../shared/downloadProgress';
import { RunTree } from '../../../../shared/runTree';
import type { RunEventMessage, RunStatus, StudioApi, TreeNode } from '../../../../shared/studioApi';

/** A status a lifecycle event implies; `failed`: the work a run finished with failures left without a result. */
interface EventStatus {
  status: RunStatus;
  ts: number;
  failed?: number;
}

export interface RunStreamSnapshot {
  nodes: TreeNode[];
  /** Nodes by id, the same objects as in `nodes`. */
  byId: ReadonlyMap<string, TreeNode>;
  /** Changes whenever a node is added (not when one is scored): the layout's key. */
  shapeKey: string;
  calls: number;
  tokens: number;
  costUsd: number;
  failedCalls: number;
  parseFailures: number;
  bestScore: number | null;
  lastSeq: number;
  /** The status the latest run-level event implies, with the event's time. */
  eventStatus: EventStatus | null;
  /** Time of the last event received (ms, this machine's clock). */
  lastEventAt: number;
  /** The error of a run-failed event, if any. */
  runError: string | null;
  /** Why the run paused by itself (backends failing for good), while it stays paused. */
  pauseReason: string | null;
  /** What the backends warned of (a lowered limit, a capability given up), each once. */
  warnings: readonly string[];
  /** For information (a plugin's workaround of its server's quirks), apart from the warnings. */
  notices: readonly string[];
  /** The embedding model's download, while it goes on. */
  download: DownloadShown | null;
  eventCount: number;
}

const EMPTY: RunStreamSnapshot = {
  nodes: [],
  byId: new Map(),
  shapeKey: '',
  calls: 0,
  tokens: 0,
  costUsd: 0,
  failedCalls: 0,
  parseFailures: 0,
  bestScore: null,
  lastSeq: -1,
  eventStatus: null,
  lastEventAt: 0,
  runError: null,
  pauseReason: null,
  warnings: [],
  notices: [],
  download: null,
  eventCount: 0,
};

interface Accumulator {
  tree: RunTree;
  copies: Map<string, TreeNode>;
  dirty: Set<string>;
  added: boolean;
  shapeKey: string;
  calls: number;
  tokens: number;
  costUsd: number;
  failedCalls: number;
  parseFailures: number;
  lastSeq: number;
  eventStatus: EventStatus | null;
  lastEventAt: number;
  runError: string | null;
  pauseReason: string | null;
  warnings: readonly string[];
  notices: readonly string[];
  download: DownloadShown | null;
  eventCount: number;
}

function freshAccumulator(): Accumulator {
  return {
    tree: new RunTree(),
    copies: new Map(),
    dirty: new Set(),
    added: false,
    shapeKey: '',
    calls: 0,
    tokens: 0,
    costUsd: 0,
    failedCalls: 0,
    parseFailures: 0,
    lastSeq: -1,
    eventStatus: null,
    lastEventAt: 0,
    runError: null,
    pauseReason: null,
    warnings: [],
    notices: [],
    download: null,
    eventCount: 0,
  };
}

function applyEvent(acc: Accumulator, event: RunEventMessage): void {
  if (typeof event.seq === 'number') {
    if (event.seq <= acc.lastSeq) return; // already seen (a re-subscription's overlap)
    acc.lastSeq = event.seq;
  }
  acc.eventCount++;
  acc.lastEventAt = Date.now();
  acc.download = downloadAfter(event);
  const ts = typeof event.ts === 'number' ? event.ts : Date.now();
  switch (event.type) {
    case 'node': {
      const id = event.id as string;
      if (!acc.tree.nodes.has(id)) acc.added = true;
      acc.tree.apply(event);
      acc.dirty.add(id);
      return;
    }
    case 'node-evaluated':
    case 'node-failed':
      acc.tree.apply(event);
      acc.dirty.add(event.id as string);
      return;
    case 'beam':
      acc.tree.apply(event);
      for (const node of acc.tree.nodes.values()) if (node.level === event.level) acc.dirty.add(node.id);
      return;
    case 'call': {
      acc.calls += typeof event.requests === 'number' ? event.requests : 1;
      const usage = event.usage as { promptTokens?: number; completionTokens?: number } | undefined;
      acc.tokens += (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0);
      acc.costUsd += typeof event.costUsd === 'number' ? event.costUsd : 0;
      return;
    }
    case 'call-failed':
      acc.failedCalls++;
      return;
    case 'parse-failure':
      acc.parseFailures++;
      return;
    case 'run-started':
    case 'run-resumed':
      acc.eventStatus = { status: 'running', ts };
      acc.runError = null;
      acc.pauseReason = null;
      return;
    case 'run-finished': {
      const failed = typeof event.failed === 'number' ? event.failed : 0;
      acc.eventStatus = failed > 0 ? { status: 'finished-with-failures', ts, failed } : { status: 'finished', ts };
      return;
    }
    case 'run-paused':
      acc.eventStatus = { status: 'paused', ts };
      acc.pauseReason = String(event.reason);
      return;
    case 'run-failed':
      acc.eventStatus = { status: 'failed', ts };
      acc.runError = typeof event.error === 'string' ? event.error : 'the run failed';
      return;
    case 'run-cancelled':
      acc.eventStatus = { status: event.final ? 'cancelled' : 'paused', ts };
      return;
    case 'warning': {
      // A new array, so the snapshot's changes when a warning arrives.
      const message = String(event.message);
      if (!acc.warnings.includes(message)) acc.warnings = [...acc.warnings, message];
      return;
    }
    case 'notice': {
      const message = String(event.message);
      if (!acc.notices.includes(message)) acc.notices = [...acc.notices, message];
      return;
    }
  }
}

function snapshotOf(acc: Accumulator, previous: RunStreamSnapshot): RunStreamSnapshot {
  let nodes = previous.nodes;
  if (acc.dirty.size > 0 || acc.added) {
    for (const id of acc.dirty) {
      const node = acc.tree.nodes.get(id);
      if (node) acc.copies.set(id, { ...node, ...(node.aspects ? { aspects: [...node.aspects] } : {}) });
    }
    acc.dirty.clear();
    nodes = [...acc.tree.nodes.keys()].map((id) => acc.copies.get(id)!);
    if (acc.added) {
      acc.shapeKey = `${nodes.length}:${nodes[nodes.length - 1]?.id ?? ''}`;
      acc.added = false;
    }
  }
  return {
    nodes,
    byId: nodes === previous.nodes ? previous.byId : new Map(acc.copies),
    shapeKey: acc.shapeKey,
    calls: acc.calls,
    tokens: acc.tokens,
    costUsd: acc.costUsd,
    failedCalls: acc.failedCalls,
    parseFailures: acc.parseFailures,
    bestScore: nodes === previous.nodes ? previous.bestScore : acc.tree.bestScore(),
    lastSeq: acc.lastSeq,
    eventStatus: acc.eventStatus,
    lastEventAt: acc.lastEventAt,
    runError: acc.runError,
    pauseReason: acc.pauseReason,
    warnings: acc.warnings,
    notices: acc.notices,
    download: acc.download,
    eventCount: acc.eventCount,
  };
}

export function useRunStream(
  studio: StudioApi,
  runId: string,
): {
  snapshot: RunStreamSnapshot;
  resubscribe: () => void;
  /** When the latest subscription was made or tried (ms); 0 until the first one. */
  subscribedAt: number;
} {
  const [snapshot, setSnapshot] = useState<RunStreamSnapshot>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  const [subscribedAt, setSubscribedAt] = useState(0);
  const accRef = useRef<{ runId: string; acc: Accumulator } | null>(null);

  // A new run starts from nothing; the same run re-subscribing keeps what it has.
  if (accRef.current === null || accRef.current.runId !== runId) accRef.current = { runId, acc: freshAccumulator() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is not read; a new attempt (resubscribe) re-runs the subscription
  useEffect(() => {
    const acc = accRef.current!.acc;
    if (acc.eventCount === 0) setSnapshot(EMPTY);
    let active = true;
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      frame = null;
      timer = null;
      if (active) setSnapshot((previous) => snapshotOf(acc, previous));
    };
    const schedule = () => {
      if (frame !== null || timer !== null) return;
      frame = requestAnimationFrame(flush);
      // Background tabs get no animation frames; still publish, a little later.
      timer = setTimeout(flush, 250);
    };
    let unsubscribe: (() => void) | null = null;
    try {
      unsubscribe = studio.runs.subscribe(runId, acc.lastSeq + 1, (event) => {
        if (!active) return;
        applyEvent(acc, event);
        schedule();
      });
    } catch {
      unsubscribe = null;
    }
    // Tried, even if it failed: the watchdog tries again once the stream has been quiet long enough.
    setSubscribedAt(Date.now());
    return () => {
      active = false;
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      unsubscribe?.();
    };
  }, [studio, runId, attempt]);

  const resubscribe = useCallback(() => setAttempt((n) => n + 1), []);
  return { snapshot, resubscribe, subscribedAt };
}
