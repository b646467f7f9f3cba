import { describe, expect, it } from 'vitest';
import { plannedSearch } from '../../src/main/engine/costEstimate.js';
import type { EngineEvent } from '../../src/main/engine/events.js';
import { type BeamOptions, beamSearch, type SearchSpace } from '../../src/main/engine/search/beamSearch.js';
import { LevelUnfinishedError } from '../../src/main/engine/search/levelFailures.js';
import { iclPlan, systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';
import type { Evaluation } from '../../src/main/engine/types.js';
import { ModelCallError } from '../../src/plugins/contract.js';

const scored = (reward: number): Evaluation => ({
  ok: true,
  reward,
  scores: [{ aspect: 'Helpfulness', score: reward, rationale: '' }],
});

/**
 * What a state's evaluation does: a reward, 'unusable' (the judge's reply stays unusable), 'fail'
 * (an engine error), 'down' (the backend stays unreachable), 'bad' (the backend refuses the request
 * itself) or `{ flaky: r }` (unreachable on the first attempt, reward r on the next).
 */
type Scripted = number | 'fail' | 'unusable' | 'down' | 'bad' | { flaky: number };

const unreachable = () => new ModelCallError('connection', 'connect ECONNREFUSED 127.0.0.1:9');
const refused = () => new ModelCallError('bad-request', 'HTTP 400: the prompt is longer than the context');

/**
 * A search space whose states are strings "P>i>j"; rewards come from a table keyed by state@query
 * or state (default 3); `proposals` scripts the optimizer's rewrite of a state ('down', 'bad',
 * 'flaky' as for evaluations).
 */
function tableSpace(
  rewards: Record<string, Scripted>,
  queries = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'],
  proposals: Record<string, 'down' | 'bad' | 'flaky'> = {},
) {
  const proposed: string[] = [];
  const evaluated: { state: string; query: string }[] = [];
  const attempts = new Map<string, number>();
  const attempt = (key: string) => {
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    return attempts.get(key)!;
  };
  const space: SearchSpace = {
    queryAt: (level) => queries[level],
    async evaluate(node) {
      evaluated.push({ state: node.state, query: node.query });
      let r = rewards[`${node.state}@${node.query}`] ?? rewards[node.state] ?? 3;
      if (typeof r === 'object') {
        if (attempt(`${node.id}@${node.query}`) === 1) throw unreachable();
        r = r.flaky;
      }
      if (r === 'fail') throw new Error('backend down');
      if (r === 'down') throw unreachable();
      if (r === 'bad') throw refused();
      return {
        output: `out(${node.state})`,
        evaluation: r === 'unusable' ? { ok: false, error: 'bad judge' } : scored(r),
      };
    },
    async propose(node, samples) {
      proposed.push(node.state);
      const fault = proposals[node.state];
      if (fault === 'down' || (fault === 'flaky' && attempt(`propose ${node.id}`) === 1)) throw unreachable();
      if (fault === 'bad') throw refused();
      return Array.from({ length: samples }, (_, i) => ({
        state: `${node.state}>${i}`,
        analysis: `${node.state} scored low`,
        thought: `try ${i}`,
      }));
    },
  };
  return { space, proposed, evaluated };
}

const beam = (o: Partial<BeamOptions> = {}): BeamOptions => ({
  ...systemPromptPlan({ algorithm: 'beam', width: 2, samples: 3, depth: 3, carryOverAbove: 4.5, maxDepthIncrease: 10 }),
  ...o,
});

const table7Icl = {
  algorithm: 'beam' as const,
  width: 1,
  samples: 1,
  depth: 5,
  carryOverAbove: 4.5,
  maxDepthIncrease: 10,
};

function collect() {
  const events: EngineEvent[] = [];
  return { events, sink: { emit: (e: EngineEvent) => events.push(e) } };
}

describe('beam search', () => {
  it('keeps the top W children by the mean reward of their path, not their last step', async () => {
    const { space } = tableSpace({
      'P>0': 3,
      'P>1': 4,
      'P>2': 2,
      'P>1>0': 2,
      'P>1>1': 2,
      'P>1>2': 2,
      'P>0>0': 5,
      'P>0>1': 1,
      'P>0>2': 1,
    });
    const { events, sink } = collect();
    const out = await beamSearch('P', space, beam(), sink);
    const beams = events.filter((e) => e.type === 'beam').map((e) => (e as { ids: string[] }).ids);
    expect(beams).toEqual([['0'], ['0.1', '0.0'], ['0.0.0', '0.1.0']]);
    // P>0>0: (3 + 5) / 2 = 4 beats P>1>0: (4 + 2) / 2 = 3
    expect(out.best.state).toBe('P>0>0');
    expect(out.best.history).toEqual(['P', 'P>0', 'P>0>0']);
  });

  it("tells the space each level's start once every parent's rewrites are asked, before any of its evaluations", async () => {
    const { space } = tableSpace({});
    const seen: string[] = [];
    const traced: SearchSpace = {
      ...space,
      propose: (node, samples) => {
        seen.push(`propose ${node.state}`);
        return space.propose(node, samples);
      },
      evaluate: (node) => {
        seen.push(`evaluate ${node.state}@${node.query}`);
        return space.evaluate(node);
      },
      levelStarted: (level, query) => seen.push(`level ${level} ${query}`),
    };
    await beamSearch('P', traced, beam({ depth: 3 }), collect().sink);
    const levelTwo = seen.indexOf('level 2 q2');
    // Level 1 has one parent (the root), level 2 has W = 2; the root level starts no rewrite.
    expect(seen.filter((s) => s.startsWith('level'))).toEqual(['level 1 q1', 'level 2 q2']);
    expect(seen.slice(0, 3)).toEqual(['evaluate P@q0', 'propose P', 'level 1 q1']);
    expect(seen.slice(levelTwo - 2, levelTwo).every((s) => s.startsWith('propose P>'))).toBe(true);
    expect(seen.slice(levelTwo + 1).every((s) => s.startsWith('evaluate') && s.endsWith('@q2'))).toBe(true);
    expect(seen.slice(levelTwo + 1)).toHaveLength(6);
  });

  it('evaluates each level on its own seed query and makes exactly the planned calls', async () => {
    const { space, proposed, evaluated } = tableSpace({});
    const out = await beamSearch('P', space, beam({ depth: 4 }), collect().sink);
    const plan = plannedSearch({ width: 2, samples: 3, depth: 4 });
    expect(out.nodes).toHaveLength(plan.evaluations);
    expect(proposed.length * 3).toBe(plan.samples);
    expect(plan).toMatchObject({ evaluations: 1 + 3 + 6 + 6, samples: 3 + 6 + 6 });
    expect(evaluated.map((e) => e.query)).toEqual([
      'q0',
      ...Array(3).fill('q1'),
      ...Array(6).fill('q2'),
      ...Array(6).fill('q3'),
    ]);
  });

  it('ties keep generation order (parent order, then sample order)', async () => {
    const { space } = tableSpace({});
    const { events, sink } = collect();
    await beamSearch('P', space, beam(), sink);
    expect(events.filter((e) => e.type === 'beam').map((e) => (e as { ids: string[] }).ids)).toEqual([
      ['0'],
      ['0.0', '0.1'],
      ['0.0.0', '0.0.1'],
    ]);
  });

  it('carries a state above 4.5 over unchanged, without an optimizer call, and grows the depth by one', async () => {
    const { space, proposed, evaluated } = tableSpace({ 'P@q0': 4.8 });
    const { events, sink } = collect();
    const out = await beamSearch('P', space, beam({ depth: 3 }), sink);
    expect(proposed).toEqual(['P', 'P>0', 'P>1']); // level 1 made no optimizer call: the root was carried
    const carried = out.nodes.find((n) => n.id === '0.0')!;
    expect(carried).toMatchObject({ state: 'P', action: 'carry-over', query: 'q1' });
    // A rewrite's node event keeps the optimizer's reasoning for it; the root and a carried state have none.
    const created = events.filter((e) => e.type === 'node');
    expect(created.find((e) => e.id === '0.0.1')).toEqual({
      type: 'node',
      id: '0.0.1',
      parentId: '0.0',
      level: 2,
      state: 'P>1',
      action: 'rewrite',
      query: 'q2',
      analysis: 'P scored low',
      thought: 'try 1',
    });
    expect(created.filter((e) => 'analysis' in e).map((e) => e.id)).not.toContain('0.0');
    expect(created.filter((e) => 'analysis' in e).map((e) => e.id)).not.toContain('0');
    expect(events).toContainEqual({ type: 'depth-extended', level: 1, depth: 4 });
    expect(out.depth).toBe(4);
    // levels 0..3 ran: root, carried, 3 children, 6 grandchildren
    expect(evaluated.map((e) => e.query)).toEqual(['q0', 'q1', 'q2', 'q2', 'q2', ...Array(6).fill('q3')]);
  });

  it('grows the depth once per level that carries, however many states it carries, before the level runs', async () => {
    // Level 1: P>0 and P>1 score 4.8 and 4.9 on q1: both carried at level 2, which grows the depth once (4 → 5).
    const { space, proposed } = tableSpace({ 'P>0@q1': 4.8, 'P>1@q1': 4.9 });
    const { events, sink } = collect();
    const out = await beamSearch('P', space, beam({ depth: 4, width: 2, samples: 3 }), sink);
    const growth = events.filter((e) => e.type === 'depth-extended' || e.type === 'depth-extension-skipped');
    expect(growth).toEqual([{ type: 'depth-extended', level: 2, depth: 5 }]);
    expect(out.depth).toBe(5);
    // The depth grows as level 2 starts: before any of its nodes.
    const firstOfLevel2 = events.findIndex((e) => e.type === 'node' && e.level === 2);
    expect(events.indexOf(growth[0]!)).toBeLessThan(firstOfLevel2);
    // Level 2 rewrote nothing; level 3 rewrote the carried P>1 (path (4.9 + 3) / 2) and P>0 ((4.8 + 3) / 2),
    // level 4 the top two of their children, P>1>0 and P>1>1 ((4.9 + 3 + 3) / 3 each).
    expect(proposed).toEqual(['P', 'P>1', 'P>0', 'P>1>0', 'P>1>1']);
  });

  it('grows the depth when it carries a state over for want of a usable judgement, as the reference does', async () => {
    const { space, proposed } = tableSpace({ 'P@q0': 'unusable' });
    const { events, sink } = collect();
    const out = await beamSearch('P', space, beam({ depth: 2 }), sink);
    expect(events).toContainEqual({ type: 'depth-extended', level: 1, depth: 3 });
    expect(out.nodes.map((n) => [n.state, n.action, n.query])).toEqual([
      ['P', 'initial', 'q0'],
      ['P', 'carry-over', 'q1'],
      ['P>0', 'rewrite', 'q2'],
      ['P>1', 'rewrite', 'q2'],
      ['P>2', 'rewrite', 'q2'],
    ]);
    expect(proposed).toEqual(['P']);
  });

  it('grows the depth at most maxDepthIncrease levels, and never when the budget refuses', async () => {
    const always = tableSpace(Object.fromEntries(['P'].map((s) => [s, 5])));
    const out = await beamSearch('P', always.space, beam({ depth: 2, maxDepthIncrease: 2 }), collect().sink);
    expect(out.depth).toBe(4);

    const refused = tableSpace({ P: 5 });
    refused.space.extensionRefused = () => 'over budget';
    const { events, sink } = collect();
    const capped = await beamSearch('P', refused.space, beam({ depth: 2 }), sink);
    expect(capped.depth).toBe(2);
    expect(events).toContainEqual({ type: 'depth-extension-skipped', level: 1, reason: 'over budget' });
  });

  it('tells the budget check the worst case of the extended search', async () => {
    const { space } = tableSpace({ P: 5 });
    const seen: unknown[] = [];
    space.extensionRefused = (worst) => {
      seen.push(worst);
      return null;
    };
    await beamSearch('P', space, beam({ depth: 3, maxDepthIncrease: 1 }), collect().sink);
    // as level 1 starts: the root's evaluation and the carried child's, no proposal; then levels 2 and 3 (of 0–3) of up to W·M = 6 each
    expect(seen).toEqual([{ evaluations: 2 + 2 * 6, proposals: 0 + 2 * 6, newQuery: 'q3' }]);
  });

  it('ranks unscored nodes last and never gives them a number; a failed call marks the node failed', async () => {
    const { space } = tableSpace({ 'P>0': 'unusable', 'P>1': 'fail', 'P>2': 1 });
    const { events, sink } = collect();
    const out = await beamSearch('P', space, beam({ depth: 2 }), sink);
    expect(out.beam.map((n) => n.state)).toEqual(['P>2', 'P>0']);
    expect(out.nodes.find((n) => n.state === 'P>0')!.reward).toBeNull();
    expect(events).toContainEqual({ type: 'node-failed', id: '0.1', error: 'backend down' });
    expect(out.best.state).toBe('P>2');
  });

  it("does not re-judge an unscored state on the same query (the ICL stage's fixed query)", async () => {
    const { space, evaluated, proposed } = tableSpace({ A: 'unusable' }, Array(10).fill('q'));
    const out = await beamSearch(
      'A',
      space,
      iclPlan({ algorithm: 'beam', width: 1, samples: 1, depth: 5, carryOverAbove: 4.5, maxDepthIncrease: 10 }, ''),
      collect().sink,
    );
    expect(evaluated).toHaveLength(1);
    expect(proposed).toEqual([]);
    expect(out.best.state).toBe('A');
  });

  it('greedy search is beam search of width 1', async () => {
    const { space, proposed } = tableSpace({ 'P>2': 4.4 });
    const plan = systemPromptPlan({
      algorithm: 'greedy',
      width: 2,
      samples: 3,
      depth: 3,
      carryOverAbove: 4.5,
      maxDepthIncrease: 10,
    });
    const out = await beamSearch('P', space, { ...plan, maxDepthIncrease: 0 }, collect().sink);
    expect(plan.width).toBe(1);
    expect(proposed).toEqual(['P', 'P>2']);
    expect(out.nodes).toHaveLength(1 + 3 + 3);
  });

  it('Monte Carlo samples N one-step prompts from the root, evaluates each once and keeps the best', async () => {
    const { space, proposed, evaluated } = tableSpace({ 'P>7': 4.9, 'P>3': 4.1 });
    const plan = systemPromptPlan({
      algorithm: 'monte-carlo',
      width: 2,
      samples: 3,
      depth: 2,
      carryOverAbove: 4.5,
      maxDepthIncrease: 10,
    });
    expect(plan.samples).toBe(2 * 3 * 2 - 1);
    const out = await beamSearch('P', space, plan, collect().sink);
    expect(proposed).toEqual(['P']);
    expect(evaluated).toHaveLength(1 + 11);
    expect(new Set(evaluated.slice(1).map((e) => e.query))).toEqual(new Set(['q1']));
    expect(out.best.state).toBe('P>7');
  });

  it('ICL plan: own reward ranks, the best answer seen wins (later on ties), a perfect score stops', async () => {
    const { space, proposed } = tableSpace({ A: 3, 'A>0': 4, 'A>0>0': 4, 'A>0>0>0': 5 }, Array(10).fill('q'));
    const plan = iclPlan(
      { algorithm: 'beam', width: 1, samples: 1, depth: 6, carryOverAbove: 4.5, maxDepthIncrease: 10 },
      'e0:',
    );
    const out = await beamSearch('A', space, plan, collect().sink);
    expect(out.best.state).toBe('A>0>0>0');
    expect(out.best.id).toBe('e0:0.0.0.0');
    expect(proposed).toEqual(['A', 'A>0', 'A>0>0']); // stopped after the 5

    const flat = tableSpace({ A: 3, 'A>0': 4, 'A>0>0': 4, 'A>0>0>0': 2, 'A>0>0>0>0': 1 }, Array(10).fill('q'));
    const tie = await beamSearch('A', flat.space, { ...plan, depth: 5 }, collect().sink);
    expect(tie.best.state).toBe('A>0>0');
  });

  it('ICL plan: D rewrites after the initial answer, each of the latest answer, whatever its score', async () => {
    const { space, proposed, evaluated } = tableSpace(
      { A: 3, 'A>0': 4, 'A>0>0': 2, 'A>0>0>0': 4, 'A>0>0>0>0': 1, 'A>0>0>0>0>0': 1 },
      Array(10).fill('q'),
    );
    const plan = iclPlan({ ...table7Icl, depth: 5 }, '');
    const out = await beamSearch('A', space, plan, collect().sink);
    expect(proposed).toEqual(['A', 'A>0', 'A>0>0', 'A>0>0>0', 'A>0>0>0>0']);
    expect(evaluated).toHaveLength(1 + 5);
    // A>0 and A>0>0>0 tie at 4: the later is kept.
    expect(out.best.state).toBe('A>0>0>0');
  });

  it('ICL plan: a perfect initial answer still gets one rewrite; the search stops after it', async () => {
    const perfect: Evaluation = {
      ok: true,
      reward: 5,
      scores: [
        { aspect: 'Helpfulness', score: 5, rationale: '' },
        { aspect: 'Clarity', score: 5, rationale: '' },
      ],
    };
    const { space, proposed } = tableSpace({ 'A>0': 4 }, Array(10).fill('q'));
    const judged: SearchSpace = {
      ...space,
      evaluate: async (node) => (node.state === 'A' ? { output: 'A', evaluation: perfect } : space.evaluate(node)),
    };
    const out = await beamSearch('A', judged, iclPlan({ ...table7Icl, depth: 5 }, ''), collect().sink);
    expect(proposed).toEqual(['A']);
    expect(out.best.state).toBe('A');
    // A reward of 5 is no perfect score when an aspect is not 5 (a sum, or an N/A): the search goes on.
    const notPerfect: Evaluation = { ...perfect, scores: [{ aspect: 'Helpfulness', score: null, rationale: 'N/A' }] };
    const partly = tableSpace({}, Array(10).fill('q'));
    const onAndOn: SearchSpace = {
      ...partly.space,
      evaluate: async (node) => ({ output: node.state, evaluation: notPerfect }),
    };
    await beamSearch('A', onAndOn, iclPlan({ ...table7Icl, depth: 3 }, ''), collect().sink);
    expect(partly.proposed).toHaveLength(3);
  });

  it("runs a level's expansions and evaluations concurrently", async () => {
    let inFlight = 0;
    let peak = 0;
    const space: SearchSpace = {
      queryAt: (l) => `q${l}`,
      async evaluate(node) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return { output: node.state, evaluation: scored(3) };
      },
      propose: async (node, samples) => Array.from({ length: samples }, (_, i) => ({ state: `${node.state}>${i}` })),
    };
    await beamSearch('P', space, beam({ depth: 3 }), collect().sink);
    expect(peak).toBe(6);
  });

  describe('when calls fail for good', () => {
    const at = (e: { state: string; query: string }) => `${e.state}@${e.query}`;
    const beams = (events: EngineEvent[]) => events.filter((e) => e.type === 'beam');

    it("asks an unreachable backend once more when the level's other calls are done, then ranks the whole level", async () => {
      const { space, evaluated } = tableSpace({ 'P>0': 3, 'P>1': { flaky: 4 }, 'P>2': 2 });
      const { events, sink } = collect();
      const out = await beamSearch('P', space, beam({ depth: 3 }), sink);
      // Level 1: P>1 fails, is asked again only after P>2, and then (4) tops the level.
      expect(evaluated.slice(0, 5).map(at)).toEqual(['P@q0', 'P>0@q1', 'P>1@q1', 'P>2@q1', 'P>1@q1']);
      expect(events).toContainEqual({ type: 'node-failed', id: '0.1', error: 'connect ECONNREFUSED 127.0.0.1:9' });
      expect(beams(events)).toEqual([
        { type: 'beam', level: 0, ids: ['0'] },
        { type: 'beam', level: 1, ids: ['0.1', '0.0'] },
        // P>1>j: (4 + 3) / 2 = 3.5 beats P>0>j: (3 + 3) / 2 = 3
        { type: 'beam', level: 2, ids: ['0.1.0', '0.1.1'] },
      ]);
      expect(out.best.state).toBe('P>1>0');
      expect(out.failedNodes).toEqual([]);
      expect(out.partialLevels).toEqual([]);
    });

    it('stops before ranking a level whose backend still fails after the retry, having asked exactly twice', async () => {
      const { space, evaluated } = tableSpace({ 'P>1': 'down' });
      const { events, sink } = collect();
      const search = beamSearch('P', space, beam({ depth: 3 }), sink);
      await expect(search).rejects.toBeInstanceOf(LevelUnfinishedError);
      await expect(search).rejects.toMatchObject({ level: 1, failures: [{ kind: 'connection' }] });
      expect(evaluated.map(at)).toEqual(['P@q0', 'P>0@q1', 'P>1@q1', 'P>2@q1', 'P>1@q1']);
      expect(beams(events)).toEqual([{ type: 'beam', level: 0, ids: ['0'] }]); // level 1 never ranked
    });

    it('stops at the root too: a search never starts from an unjudged root because the backend was down', async () => {
      const { space, evaluated, proposed } = tableSpace({ P: 'down' });
      await expect(beamSearch('P', space, beam(), collect().sink)).rejects.toMatchObject({ level: 0 });
      expect(evaluated.map(at)).toEqual(['P@q0', 'P@q0']);
      expect(proposed).toEqual([]);
    });

    it('retries a failed rewrite once and evaluates the successors it then brings', async () => {
      const { space, proposed, evaluated } = tableSpace({}, undefined, { P: 'flaky' });
      const { events, sink } = collect();
      const out = await beamSearch('P', space, beam({ depth: 2 }), sink);
      expect(proposed).toEqual(['P', 'P']);
      expect(events).toContainEqual({ type: 'proposal-failed', id: '0', error: 'connect ECONNREFUSED 127.0.0.1:9' });
      expect(evaluated.map(at)).toEqual(['P@q0', 'P>0@q1', 'P>1@q1', 'P>2@q1']);
      expect(beams(events)).toEqual([
        { type: 'beam', level: 0, ids: ['0'] },
        { type: 'beam', level: 1, ids: ['0.0', '0.1'] },
      ]);
      expect(out.failedProposals).toEqual([]);
    });

    it('ranks a level without a request the backend refused for itself, and says what it lacks', async () => {
      // Level 2 expands 0.0 (P>0: 4) and 0.2 (P>2: 2); P>0's rewrite is refused, P>2>1 is refused,
      // P>2>0's judgement is unusable: only P>2>2 is left to rank.
      const { space, proposed, evaluated } = tableSpace(
        { 'P>0': 4, 'P>1': 1, 'P>2': 2, 'P>2>1': 'bad', 'P>2>0': 'unusable' },
        undefined,
        { 'P>0': 'bad' },
      );
      const { events, sink } = collect();
      const out = await beamSearch('P', space, beam({ depth: 3 }), sink);
      expect(proposed.filter((s) => s === 'P>0')).toHaveLength(1); // a refused request is not asked again
      expect(evaluated.filter((e) => e.state === 'P>2>1')).toHaveLength(1);
      expect(beams(events).at(-1)).toEqual({
        type: 'beam',
        level: 2,
        ids: ['0.2.2', '0.2.0'],
        partial: { failed: ['0.2.1'], unjudged: ['0.2.0'], unexpanded: ['0.0'] },
      });
      expect(out.failedNodes).toEqual(['0.2.1']);
      expect(out.failedProposals).toEqual(['0.0']);
      expect(out.partialLevels).toEqual([{ level: 2, failed: ['0.2.1'], unjudged: ['0.2.0'], unexpanded: ['0.0'] }]);
      // P>2>2: (2 + 3) / 2 = 2.5, the only judged node of the last level
      expect(out.best.state).toBe('P>2>2');
    });

    it('never returns an unjudged prompt while a judged one exists', async () => {
      // The last level's every node is refused: the result is the top of the last level that judged one.
      const { space } = tableSpace({ P: 3, 'P>0': 'bad', 'P>1': 'bad', 'P>2': 'bad' });
      const { events, sink } = collect();
      const out = await beamSearch('P', space, beam({ depth: 2 }), sink);
      expect(beams(events).at(-1)).toMatchObject({
        level: 1,
        partial: { failed: ['0.0', '0.1', '0.2'], unjudged: [], unexpanded: [] },
      });
      expect(out.best.id).toBe('0');
      expect(out.failedNodes).toEqual(['0.0', '0.1', '0.2']);
    });
  });
});
