// The live state of one run, kept apart from React: each event is applied at once to a RunTree and
// the counters (constant work, a beam event the work of its level), and `publish` turns what
// changed since the last snapshot into the next one, once per animation frame (frameBatcher).
// Work in `publish` follows what changed, not the tree's size: the changed nodes are copied (the
// published ones stay immutable, so memoised cards skip the rest), new ones appended to a copy of
// the node array, only the levels they are on recomputed for the chart.
import { type DownloadShown, downloadAfter } from '../../../../shared/downloadProgress';
import { RunTree } from '../../../../shared/runTree';
import type { RunEventMessage, RunStatus, TreeNode } from '../../../../shared/studioApi';
import { type LevelPoint, levelPoint } from './levelStats';

/** A status a lifecycle event implies; `failed`: the work a run finished with failures left without a result. */
export interface EventStatus {
  status: RunStatus;
  ts: number;
  failed?: number;
}

export interface RunStreamSnapshot {
  /**
   * Every node, in the order they arrived. Append-only: a node keeps its index, new nodes come at
   * the end (`nodes.slice(previous.length)` are the ones added since an earlier snapshot); a node
   * that changed is a new object at the same index, an unchanged one the same object.
   */
  nodes: TreeNode[];
  /**
   * Nodes by id, the same objects as in `nodes`. One Map for the whole stream, brought up to date
   * with each snapshot (copying it per frame would cost the tree's size): read it while rendering,
   * never memoise on it.
   */
  byId: ReadonlyMap<string, TreeNode>;
  /** Reward by depth, one point per level in level order; a point is a new object only when its level changed. */
  levels: readonly LevelPoint[];
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

export const EMPTY_SNAPSHOT: RunStreamSnapshot = {
  nodes: [],
  byId: new Map(),
  levels: [],
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

export class RunStreamState {
  private readonly tree = new RunTree();
  /** Nodes changed (or added) since the last snapshot, in the order they first changed. */
  private readonly dirty = new Set<string>();
  private readonly indexOf = new Map<string, number>();
  private readonly byId = new Map<string, TreeNode>();
  private readonly points = new Map<number, LevelPoint>();
  /** The latest snapshot published. */
  current: RunStreamSnapshot = EMPTY_SNAPSHOT;
  // What the next snapshot carries besides the nodes.
  private counters = {
    calls: 0,
    tokens: 0,
    costUsd: 0,
    failedCalls: 0,
    parseFailures: 0,
    lastSeq: -1,
    eventStatus: null as EventStatus | null,
    lastEventAt: 0,
    runError: null as string | null,
    pauseReason: null as string | null,
    warnings: [] as readonly string[],
    notices: [] as readonly string[],
    download: null as DownloadShown | null,
    eventCount: 0,
  };

  get lastSeq(): number {
    return this.counters.lastSeq;
  }

  get eventCount(): number {
    return this.counters.eventCount;
  }

  apply(event: RunEventMessage): void {
    const acc = this.counters;
    if (typeof event.seq === 'number') {
      if (event.seq <= acc.lastSeq) return; // already seen (a re-subscription's overlap)
      acc.lastSeq = event.seq;
    }
    acc.eventCount++;
    acc.lastEventAt = Date.now();
    acc.download = downloadAfter(event);
    const ts = typeof event.ts === 'number' ? event.ts : Date.now();
    switch (event.type) {
      case 'node':
      case 'node-evaluated':
      case 'node-failed': {
        this.tree.apply(event);
        const id = event.id as string;
        if (this.tree.nodes.has(id)) this.dirty.add(id);
        return;
      }
      case 'beam':
        this.tree.apply(event);
        for (const node of this.tree.level(event.level as number)) this.dirty.add(node.id);
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

  /** The next snapshot: everything applied since the last one; `current` becomes it. */
  publish(): RunStreamSnapshot {
    const previous = this.current;
    let { nodes, levels, bestScore } = previous;
    if (this.dirty.size > 0) {
      const next = nodes.slice(); // pointers only: the nodes themselves are shared
      const changedLevels = new Set<number>();
      for (const id of this.dirty) {
        const node = this.tree.nodes.get(id)!;
        const copy = { ...node, ...(node.aspects ? { aspects: [...node.aspects] } : {}) };
        const at = this.indexOf.get(id);
        if (at === undefined) {
          this.indexOf.set(id, next.length);
          next.push(copy);
        } else next[at] = copy;
        const before = this.byId.get(id)?.score ?? null;
        this.byId.set(id, copy);
        changedLevels.add(node.level);
        if (copy.score !== null && (bestScore === null || copy.score > bestScore)) bestScore = copy.score;
        // The best node re-evaluated lower (a resumed run): the only case that needs every node.
        else if (before !== null && before === bestScore && copy.score !== before) bestScore = this.tree.bestScore();
      }
      this.dirty.clear();
      nodes = next;
      // A point keeps its object while its figures stay (a new node is unscored): the chart redraws only on a change.
      let moved = false;
      for (const level of changedLevels) {
        const point = levelPoint(level, this.tree.level(level));
        const old = this.points.get(level);
        if (old && old.best === point.best && old.mean === point.mean && old.bestScore === point.bestScore) continue;
        this.points.set(level, point);
        moved = true;
      }
      // A run has tens of levels: sorting them is nothing next to its thousands of nodes.
      if (moved) levels = [...this.points.values()].sort((a, b) => a.level - b.level);
    }
    this.current = { ...this.counters, nodes, byId: this.byId, levels, bestScore };
    return this.current;
  }
}

/**
 * Calls `flush` once in the next animation frame however often `schedule` is called before it,
 * and (background tabs get no frames) after `fallbackMs` at the latest.
 */
export function frameBatcher(flush: () => void, fallbackMs = 250): { schedule: () => void; cancel: () => void } {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
  };
  const run = () => {
    cancel();
    flush();
  };
  return {
    schedule: () => {
      if (frame !== null || timer !== null) return;
      frame = requestAnimationFrame(run);
      timer = setTimeout(run, fallbackMs);
    },
    cancel,
  };
}
