// The run view's live state (runStreamState.ts, behind useRunStream): events applied as they come,
// published once per animation frame with everything since the last frame, the node list and the
// reward-by-depth points updated for what changed only. Animation frames and timers are faked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  frameBatcher,
  type RunStreamSnapshot,
  RunStreamState,
} from '../../src/renderer/src/screens/runs/runStreamState';
import type { RunEventMessage } from '../../src/shared/studioApi';

let seq = 0;
const ev = (type: string, fields: Record<string, unknown> = {}): RunEventMessage => ({
  seq: seq++,
  ts: 1_700_000_000_000 + seq,
  type,
  ...fields,
});
const node = (id: string, parentId: string | null, level: number) =>
  ev('node', { id, parentId, level, state: `prompt ${id}`, action: parentId ? 'rewrite' : 'initial', query: 'q' });
const scored = (id: string, reward: number, score: number) =>
  ev('node-evaluated', {
    id,
    output: `answer of ${id}`,
    evaluation: { ok: true, scores: [{ aspect: 'Helpfulness', score: reward, rationale: 'r' }], reward },
    reward,
    score,
  });
const call = () =>
  ev('call', { role: 'base', requests: 1, usage: { promptTokens: 10, completionTokens: 5 }, costUsd: 0 });

/** A state fed through a frame batcher, as useRunStream does; `published` is every snapshot React would get. */
function stream() {
  const state = new RunStreamState();
  const published: RunStreamSnapshot[] = [];
  const batch = frameBatcher(() => published.push(state.publish()));
  return {
    published,
    receive: (event: RunEventMessage) => {
      state.apply(event);
      batch.schedule();
    },
  };
}

beforeEach(() => {
  seq = 0;
  // Node has no animation frames: placeholders the fake timers then replace with a 60 Hz clock.
  vi.stubGlobal('requestAnimationFrame', () => 0);
  vi.stubGlobal('cancelAnimationFrame', () => {});
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('live events batched per animation frame', () => {
  it('publishes 100 events that arrive within one frame as one update holding all of them, in order', () => {
    const s = stream();
    s.receive(ev('run-started', { stage: 'system-prompt', version: '1' }));
    s.receive(node('0', null, 0));
    for (let i = 0; i < 49; i++) {
      s.receive(node(`0.${i}`, '0', 1));
      s.receive(call());
    }
    expect(s.published).toHaveLength(0); // nothing before the frame
    vi.advanceTimersToNextFrame();
    expect(s.published).toHaveLength(1);
    const [snapshot] = s.published;
    expect(snapshot!.eventCount).toBe(100);
    expect(snapshot!.nodes.map((n) => n.id)).toEqual(['0', ...Array.from({ length: 49 }, (_, i) => `0.${i}`)]);
    expect(snapshot!.calls).toBe(49);
    expect(snapshot!.tokens).toBe(49 * 15);
    expect(snapshot!.lastSeq).toBe(99);
    expect(snapshot!.eventStatus?.status).toBe('running');
    vi.advanceTimersByTime(1000);
    expect(s.published).toHaveLength(1); // no event, no update (the fallback timer was cancelled)
  });

  it('puts an event that arrives after the flush into the next frame, appended, the other nodes untouched', () => {
    const s = stream();
    s.receive(node('0', null, 0));
    s.receive(node('0.0', '0', 1));
    vi.advanceTimersToNextFrame();
    s.receive(scored('0.0', 4, 4));
    s.receive(node('0.1', '0', 1));
    expect(s.published).toHaveLength(1);
    vi.advanceTimersToNextFrame();
    expect(s.published).toHaveLength(2);
    const [before, after] = s.published as [RunStreamSnapshot, RunStreamSnapshot];
    expect(after.nodes.map((n) => n.id)).toEqual(['0', '0.0', '0.1']);
    expect(after.nodes[0]).toBe(before.nodes[0]); // unchanged: the same object, so its card skips rendering
    expect(after.nodes[1]).not.toBe(before.nodes[1]); // scored: a new object at the same index
    expect(before.nodes[1]!.reward).toBeNull(); // and the published one was not changed under React's feet
    expect(after.nodes[1]!.reward).toBe(4);
    expect(after.byId.get('0.0')).toBe(after.nodes[1]);
    expect(after.bestScore).toBe(4);
  });

  it('still publishes without animation frames (a background tab), after 250 ms', () => {
    const state = new RunStreamState();
    let flushed = 0;
    const batch = frameBatcher(() => {
      flushed++;
      state.publish();
    });
    // A page with no frames: requestAnimationFrame never calls back.
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('cancelAnimationFrame', () => {});
    state.apply(node('0', null, 0));
    batch.schedule();
    vi.advanceTimersByTime(249);
    expect(flushed).toBe(0);
    vi.advanceTimersByTime(1);
    expect(flushed).toBe(1);
  });

  it('replays a 10,000-event log in one update, not one per event', () => {
    // A beam run of W = 10, M = 11: the root, 11 children, then 10 kept states × 11 per level;
    // each node one node event, one evaluation and two calls (base, judge), each level one beam.
    const s = stream();
    const events: RunEventMessage[] = [ev('run-started', { stage: 'system-prompt', version: '1' })];
    let beam = ['0'];
    events.push(node('0', null, 0), scored('0', 3, 3), call(), call(), ev('beam', { level: 0, ids: ['0'] }));
    let level = 0;
    while (events.length < 10_000) {
      level++;
      const children: string[] = [];
      for (const parent of beam)
        for (let i = 0; i < 11; i++) {
          const id = `${parent}.${i}`;
          // Rewards 1–5 by sample: the level's best reward 5, mean (1+2+3+4+5)·2/11 + 1/11 ≈ 2.82 for 11 samples.
          const reward = (i % 5) + 1;
          events.push(node(id, parent, level), scored(id, reward, reward), call(), call());
          children.push(id);
        }
      beam = children.slice(1, 11); // kept: all but the first sample
      events.push(ev('beam', { level, ids: beam }));
    }
    // The stream delivers them in chunks a few milliseconds apart, all within one frame.
    for (let i = 0; i < events.length; i += 2_500) {
      for (const event of events.slice(i, i + 2_500)) s.receive(event);
      vi.advanceTimersByTime(3);
    }
    expect(s.published).toHaveLength(0);
    vi.advanceTimersToNextFrame();
    expect(s.published).toHaveLength(1);
    const snapshot = s.published[0]!;
    const nodeEvents = events.filter((e) => e.type === 'node');
    expect(snapshot.eventCount).toBe(events.length);
    expect(snapshot.nodes.map((n) => n.id)).toEqual(nodeEvents.map((e) => e.id));
    expect(snapshot.calls).toBe(2 * nodeEvents.length);
    // Level 1: the root's 11 children, rewards 1,2,3,4,5,1,2,3,4,5,1 → best 5, mean 31/11 = 2.82.
    expect(snapshot.levels[1]).toEqual({ level: 1, best: 5, mean: 2.82, bestScore: 5 });
    // Level 2 and on: 10 parents × the same 11 rewards → the same figures.
    expect(snapshot.levels[2]).toEqual({ level: 2, best: 5, mean: 2.82, bestScore: 5 });
    expect(snapshot.levels).toHaveLength(level + 1);
    expect(snapshot.bestScore).toBe(5);
    // Beam membership: at level 1 all but 0.0 are kept.
    const level1 = snapshot.nodes.filter((n) => n.level === 1);
    expect(level1.filter((n) => !n.inBeam).map((n) => n.id)).toEqual(['0.0']);
  });

  it('updates only the changed levels and finds the best score again when the best node is scored lower', () => {
    const s = stream();
    s.receive(node('0', null, 0));
    s.receive(node('0.0', '0', 1));
    s.receive(node('0.1', '0', 1));
    s.receive(scored('0', 3, 3));
    s.receive(scored('0.0', 5, 4));
    s.receive(scored('0.1', 2, 2.5));
    vi.advanceTimersToNextFrame();
    const first = s.published[0]!;
    expect(first.levels).toEqual([
      { level: 0, best: 3, mean: 3, bestScore: 3 },
      { level: 1, best: 5, mean: 3.5, bestScore: 4 },
    ]);
    expect(first.bestScore).toBe(4);
    // A resumed run evaluates 0.0 again, lower: reward 1, path score (3 + 1) / 2 = 2.
    s.receive(scored('0.0', 1, 2));
    vi.advanceTimersToNextFrame();
    const second = s.published[1]!;
    expect(second.levels[0]).toBe(first.levels[0]); // level 0 did not change: the same point
    expect(second.levels[1]).toEqual({ level: 1, best: 2, mean: 1.5, bestScore: 2.5 });
    expect(second.bestScore).toBe(3); // the root's 3 is now the best
    // A new node, unscored: the levels' figures stay, and so does the chart's data.
    s.receive(node('0.2', '0', 1));
    vi.advanceTimersToNextFrame();
    expect(s.published[2]!.levels).toBe(second.levels);
  });

  it('ignores events it has already seen (a re-subscription replays from the last seq)', () => {
    const s = stream();
    const events = [node('0', null, 0), call(), call()];
    for (const e of events) s.receive(e);
    for (const e of events) s.receive(e);
    vi.advanceTimersToNextFrame();
    expect(s.published[0]!.nodes).toHaveLength(1);
    expect(s.published[0]!.calls).toBe(2);
    expect(s.published[0]!.eventCount).toBe(3);
  });
});
