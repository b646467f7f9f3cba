// The time-left estimate: the larger of the critical path (levels left × each level's chain of
// calls) and the work (samples left × their slot time ÷ the limit), with latencies corrected for
// the wait for a slot (Little's law), a role not measured yet taken at its backend's mean. Every
// figure below is worked out by hand in the comments; a lane sampled once has no time sampled
// yet, so its latencies count as they were logged.
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { experimentPacePlan } from '../../src/main/experiments/experimentPace.js';
import type { Role } from '../../src/main/llm/callLedger.js';
import { runPacePlan } from '../../src/main/runs/runPace.js';
import { type PacePlan, TimeLeft } from '../../src/main/runs/timeLeft.js';
import type { RunEvent } from '../../src/main/store/runLog.js';

const call = (role: Role, latencyMs: number, extra: { requests?: number; samples?: number; backend?: string } = {}) =>
  ({
    type: 'call',
    role,
    backend: extra.backend ?? 'main',
    key: `${role}-${latencyMs}`,
    requests: extra.requests ?? 1,
    texts: Array.from({ length: extra.samples ?? 1 }, () => 'text'),
    usage: { promptTokens: 1, completionTokens: 1 },
    costUsd: 0,
    retries: 0,
    latencyMs,
  }) satisfies RunEvent;

const node = (id: string, action: 'initial' | 'rewrite' = 'rewrite') =>
  ({ type: 'node', id, parentId: null, level: 0, state: 's', action, query: 'q' }) satisfies RunEvent;
const evaluated = (id: string, reward = 3) =>
  ({
    type: 'node-evaluated',
    id,
    output: 'o',
    evaluation: { ok: true, scores: [{ aspect: 'Helpfulness', score: reward, rationale: '' }], reward },
    reward,
    score: reward,
  }) satisfies RunEvent;
const beam = (level: number, ids: string[]) => ({ type: 'beam', level, ids }) satisfies RunEvent;
const selection = (query: string) =>
  ({ type: 'selection', query, selection: { aspects: [], reasoning: '', source: 'selector' } }) satisfies RunEvent;
const lane = (limit: number, inFlight: number) => ({ limit, inFlight });

/** W=2, M=2, D=3 on one backend "main", a dynamic reward: the plan of every test below but the last ones. */
function systemPromptPlan(): PacePlan {
  const config = normalizeConfig(
    { backends: { main: { plugin: 'ollama' } }, search: { width: 2, samples: 2, depth: 3 } },
    '/tmp',
  );
  return runPacePlan(config, 'system-prompt', 0);
}

/** Level 0 done at t = 5 s: three selections (1 s each), the root's answer (2 s) and judgment (3 s). */
function afterTheRoot(plan = systemPromptPlan()): TimeLeft {
  const pace = new TimeLeft(plan, 0);
  pace.sample('main', lane(2, 1), 0);
  for (const query of ['q0', 'q1', 'q2']) {
    pace.observe(call('selector', 1000), 1000);
    pace.observe(selection(query), 1000);
  }
  pace.observe(node('0', 'initial'), 0);
  pace.observe(call('base', 2000), 2000);
  pace.observe(call('judge', 3000), 5000);
  pace.observe(evaluated('0'), 5000);
  pace.observe(beam(0, ['0']), 5000);
  return pace;
}

/** Then at t = 6 s the optimizer's first request returns M = 2 rewrites after 1 s. */
function afterTheFirstRewrite(plan = systemPromptPlan()): TimeLeft {
  const pace = afterTheRoot(plan);
  pace.observe(call('optimizer', 1000, { samples: 2 }), 6000);
  pace.observe(node('0.0'), 6000);
  pace.observe(node('0.1'), 6000);
  return pace;
}

describe('a run plan', () => {
  it('plans the samples `estimate` counts: W=2, M=2, D=3 evaluates 1 + 2 + 4 nodes from 2 + 4 rewrites', () => {
    const plan = systemPromptPlan();
    // Level 1 expands the root into 2; level 2 expands 2 into 4; one selection per level's query.
    expect(plan.work).toEqual([
      { role: 'base', backend: 'main', samples: 7 },
      { role: 'selector', backend: 'main', samples: 3 },
      { role: 'judge', backend: 'main', samples: 7 },
      { role: 'optimizer', backend: 'main', samples: 6 },
    ]);
    expect(plan).toMatchObject({ searches: [''], levels: 3, stopWhenPerfect: false });
    expect(plan.done(evaluated('0.1'))).toEqual([
      { role: 'base', backend: 'main' },
      { role: 'judge', backend: 'main' },
    ]);
    expect(plan.done(node('0.1', 'initial'))).toEqual([]);
    expect(plan.done(call('base', 5))).toEqual([]);
  });

  it('searches every ICL example side by side, each W=1, M=1, D=5, ending at a perfect score', () => {
    const config = normalizeConfig({ backends: { main: { plugin: 'ollama' } } }, '/tmp');
    const plan = runPacePlan(config, 'icl', 2);
    // Per example: the answer judged, then 5 levels of one rewrite judged each: 6 judgments, 5 rewrites.
    expect(plan.work).toEqual([
      { role: 'base', backend: 'main', samples: 0 },
      { role: 'selector', backend: 'main', samples: 2 },
      { role: 'judge', backend: 'main', samples: 12 },
      { role: 'optimizer', backend: 'main', samples: 10 },
    ]);
    expect(plan).toMatchObject({ searches: ['e0:', 'e1:'], levels: 6, stopWhenPerfect: true });
  });
});

describe('the time left of a run', () => {
  it('is unknown until its backend has answered once', () => {
    const pace = new TimeLeft(systemPromptPlan(), 0);
    pace.sample('main', lane(2, 1), 0);
    pace.observe(node('0', 'initial'), 0);
    expect(pace.estimateMs(500)).toBeNull();
  });

  it("takes the optimizer, which has not answered yet, as slow as its backend's calls so far", () => {
    // The backend's 5 calls took 3 × 1 s + 2 s + 3 s = 8 s: 1.6 s a call (and a sample).
    // Work: 6 answers × 2 s + 6 judgments × 3 s + 6 rewrites × 1.6 s = 39.6 s over 2 slots = 19.8 s.
    // Critical path: 2 levels of 1.6 + 2 + 3 = 6.6 s = 13.2 s.
    expect(afterTheRoot().estimateMs(5000)).toBe(19_800);
  });

  it('is the work when the limit makes the calls wait: 32 s of slot time over 2 slots', () => {
    const pace = afterTheFirstRewrite();
    // A re-ask after an unusable reply is no planned work: its minute changes no latency.
    pace.observe({ ...call('judge', 60_000), repair: true }, 6000);
    // Done: 3 selections, 1 answer, 1 judgment, 2 rewrites. Left: 6 answers × 2 s, 6 judgments × 3 s,
    // 4 rewrites × 0.5 s (one 1 s request returned 2) = 12 + 18 + 2 = 32 s of slot time; ÷ 2 = 16 s.
    // The critical path is shorter: level 1's chain 1 + 2 + 3 = 6 s, begun 1 s ago (5 s left), then
    // level 2's 6 s = 11 s.
    expect(pace.estimateMs(6000)).toBe(16_000);
  });

  it('is the critical path when the limit is ample: 11 s of chain against 32 s of slot time over 8 slots', () => {
    const pace = afterTheFirstRewrite();
    pace.sample('main', lane(8, 1), 0); // a limit of 8 from the start
    // Work 32 s ÷ 8 = 4 s < the chain's 5 s + 6 s; the chain shrinks as time passes: 2 s later, 9 s.
    expect(pace.estimateMs(6000)).toBe(11_000);
    expect(pace.estimateMs(8000)).toBe(9000);
    // Past the current level's chain it counts the later levels only: at t = 20 s, 6 s.
    expect(pace.estimateMs(20_000)).toBe(6000);
  });

  it('takes the wait for a slot out of the latencies: 6 requests held slots for 6 s in all, but took 9 s', () => {
    const pace = afterTheFirstRewrite();
    // One request in flight from 0 to 6 s: 6 s of slot time for the 6 requests served (3 selections,
    // an answer, a judgment, a rewrite), whose latencies sum to 3 + 2 + 3 + 1 = 9 s: 2/3 was service.
    pace.sample('main', lane(2, 0), 6000);
    // Work: 32 s × 2/3 ÷ 2 = 10.667 s. Chain: 6 s × 2/3 = 4 s a level: (4 − 1) + 4 = 7 s.
    expect(pace.estimateMs(6000)).toBe(10_667);
  });

  it('counts the requests still in flight as half served', () => {
    const pace = afterTheFirstRewrite();
    // The same 6 s of slot time, 2 requests in flight now: 6 s ÷ (6 + 1) = 0.857 s a request in
    // service, of 1.5 s logged: a share of 4/7. Work: 32 s × 4/7 ÷ 2 = 9.143 s (the chain, 5.9 s, is less).
    pace.sample('main', lane(2, 2), 6000);
    expect(pace.estimateMs(6000)).toBe(9143);
  });

  it('counts an extended depth as one more level on the critical path', () => {
    const pace = afterTheFirstRewrite();
    pace.sample('main', lane(8, 1), 0);
    pace.observe({ type: 'depth-extended', level: 1, depth: 4 }, 6000);
    // (6 − 1) + 2 × 6 = 17 s; the work (4 s) is the plan's.
    expect(pace.estimateMs(6000)).toBe(17_000);
  });

  it('is 0 once the plan is done', () => {
    const pace = afterTheFirstRewrite();
    // Everything left: 2 + 4 evaluations, 4 more rewrites, then the beams of levels 1 and 2.
    for (const id of ['0.0', '0.1', '0.0.0', '0.0.1', '0.1.0', '0.1.1']) pace.observe(evaluated(id), 7000);
    for (const id of ['0.0.0', '0.0.1', '0.1.0', '0.1.1']) pace.observe(node(id), 7000);
    pace.observe(beam(1, ['0.0', '0.1']), 7000);
    pace.observe(beam(2, ['0.0.0', '0.0.1']), 7000);
    expect(pace.estimateMs(7000)).toBe(0);
  });
});

describe('the time left of an ICL run', () => {
  it('waits for the slowest example still searching; one is done after the rewrite that follows a perfect score', () => {
    const config = normalizeConfig({ backends: { main: { plugin: 'ollama' } } }, '/tmp');
    const pace = new TimeLeft(runPacePlan(config, 'icl', 2), 0);
    pace.sample('main', lane(100, 1), 0);
    // Both examples: a selection (1 s), then the answer's judgment (2 s): example 0's scores 2,
    // example 1's a perfect 5, which still gets one rewrite (as the reference's loop).
    for (const [prefix, query, score] of [
      ['e0:', 'a', 2],
      ['e1:', 'b', 5],
    ] as const) {
      pace.observe(call('selector', 1000), 1000);
      pace.observe(selection(query), 1000);
      pace.observe(call('judge', 2000), 3000);
      pace.observe(evaluated(`${prefix}0`, score), 3000);
      pace.observe(beam(0, [`${prefix}0`]), 3000);
    }
    // Example 0's first rewrite (1 s) and its judgment (2 s) end level 1 at t = 4 s.
    pace.observe(call('optimizer', 1000), 4000);
    pace.observe(node('e0:0.0'), 4000);
    pace.observe(call('judge', 2000), 4000);
    pace.observe(evaluated('e0:0.0', 3), 4000);
    pace.observe(beam(1, ['e0:0.0']), 4000);
    // A level is a rewrite and its judgment: 1 + 2 = 3 s; each example has 6 levels, the root's included.
    // Example 0: levels 2–5 left, the current one begun now: 3 + 3 × 3 = 12 s. Example 1 (not done
    // for its perfect root): levels 1–5, the current one begun at 3 s: (3 − 1) + 4 × 3 = 14 s.
    // The work (9 rewrites × 1 s and 9 judgments × 2 s over 100 slots: 0.27 s) is far less.
    expect(pace.estimateMs(4000)).toBe(14_000);
    // Example 1's rewrite (3) ends its level 1 at t = 5 s, and its search: its best score is perfect.
    pace.observe(node('e1:0.0'), 5000);
    pace.observe(evaluated('e1:0.0', 3), 5000);
    pace.observe(beam(1, ['e1:0.0']), 5000);
    // Example 0 is left: (3 − 1) + 3 × 3 = 11 s.
    expect(pace.estimateMs(5000)).toBe(11_000);
    // Example 0's second rewrite scores 5 at t = 6 s: it runs on until that level's beam, then stops.
    pace.observe(node('e0:0.0.0'), 6000);
    pace.observe(evaluated('e0:0.0.0', 5), 6000);
    expect(pace.estimateMs(6000)).toBe(10_000); // (3 − 2) + 3 × 3
    pace.observe(beam(2, ['e0:0.0.0']), 6000);
    // Only the planned work is left: 7 rewrites × 1 s + 7 judgments × 2 s = 21 s over 100 slots.
    expect(pace.estimateMs(6000)).toBe(210);
  });
});

describe('the time left of an experiment', () => {
  // 3 items × 2 setups on two targets (backends a and b), judged on backend j.
  const config = {
    targets: [
      { name: 'A', backend: 'a' },
      { name: 'B', backend: 'b' },
    ],
    judge: { backend: 'j' },
  } as Parameters<typeof experimentPacePlan>[0];
  const answer = (target: string) =>
    ({ type: 'eval-answer', setup: 's', target, itemId: '1', answer: 'x' }) satisfies RunEvent;
  const judged = (target: string) =>
    ({ type: 'eval-judged', setup: 's', target, itemId: '1', scores: {}, reasons: {} }) satisfies RunEvent;

  it('plans 6 answers per target and 12 judgments, and counts them done by target', () => {
    const plan = experimentPacePlan(config, 2, 3);
    expect(plan.work).toEqual([
      { role: 'base', backend: 'a', samples: 6 },
      { role: 'base', backend: 'b', samples: 6 },
      { role: 'judge', backend: 'j', samples: 12 },
    ]);
    expect(plan.done(answer('B'))).toEqual([{ role: 'base', backend: 'b' }]);
    expect(plan.done(judged('A'))).toEqual([{ role: 'judge', backend: 'j' }]);
  });

  it('is the busiest backend: 5 judgments × 4 s over 2 slots outlast 5 answers × 1 s over 1', () => {
    const pace = new TimeLeft(experimentPacePlan(config, 2, 3), 0);
    for (const backend of ['a', 'b', 'j']) pace.sample(backend, lane(backend === 'j' ? 2 : 1, 1), 0);
    for (const [target, backend, ms] of [
      ['A', 'a', 1000],
      ['B', 'b', 3000],
    ] as const) {
      pace.observe(call('base', ms, { backend }), ms);
      pace.observe(answer(target), ms);
    }
    // The judge's backend has answered nothing yet.
    expect(pace.estimateMs(3000)).toBeNull();
    // Target B's answers are the slowest base calls: the chain is 3 + 4 = 7 s from the start.
    pace.observe(call('judge', 4000, { backend: 'j' }), 5000);
    pace.observe(judged('A'), 5000);
    // Left: a 5 answers × 1 s ÷ 1 = 5 s; b 5 × 3 s ÷ 1 = 15 s; j 11 judgments × 4 s ÷ 2 = 22 s.
    // The chain (7 s, begun at 0) is over by t = 5 s but for 2 s: the work's 22 s is the estimate.
    expect(pace.estimateMs(5000)).toBe(22_000);
  });
});
