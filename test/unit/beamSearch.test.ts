import { describe, expect, it } from 'vitest';
import { plannedSearch } from '../../src/main/engine/costEstimate.js';
import type { EngineEvent } from '../../src/main/engine/events.js';
import { type BeamOptions, beamSearch, type SearchSpace } from '../../src/main/engine/search/beamSearch.js';
import { iclPlan, systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';
import type { Evaluation } from '../../src/main/engine/types.js';

const scored = (reward: number): Evaluation => ({
  ok: true,
  reward,
  scores: [{ aspect: 'Helpfulness', score: reward, rationale: '' }],
});

/** A search space whose states are strings "P>i>j"; rewards come from a table keyed by state@query or state (default 3). */
function tableSpace(
  rewards: Record<string, number | 'fail' | 'unusable'>,
  queries = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'],
) {
  const proposed: string[] = [];
  const evaluated: { state: string; query: string }[] = [];
  const space: SearchSpace = {
    queryAt: (level) => queries[level],
    async evaluate(node) {
      evaluated.push({ state: node.state, query: node.query });
      const r = rewards[`${node.state}@${node.query}`] ?? rewards[node.state] ?? 3;
      if (r === 'fail') throw new Error('backend down');
      return {
        output: `out(${node.state})`,
        evaluation: r === 'unusable' ? { ok: false, error: 'bad judge' } : scored(r),
      };
    },
    async propose(node, samples) {
      proposed.push(node.state);
      return Array.from({ length: samples }, (_, i) => `${node.state}>${i}`);
    },
  };
  return { space, proposed, evaluated };
}

const beam = (o: Partial<BeamOptions> = {}): BeamOptions => ({
  ...systemPromptPlan({ algorithm: 'beam', width: 2, samples: 3, depth: 3, carryOverAbove: 4.5, maxDepthIncrease: 10 }),
  ...o,
});

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
    expect(events).toContainEqual({ type: 'depth-extended', level: 1, depth: 4 });
    expect(out.depth).toBe(4);
    // levels 0..3 ran: root, carried, 3 children, 6 grandchildren
    expect(evaluated.map((e) => e.query)).toEqual(['q0', 'q1', 'q2', 'q2', 'q2', ...Array(6).fill('q3')]);
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
    // after level 1: 2 evaluations and 0 proposals so far; 3 more levels of up to W·M = 6 each
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
      propose: async (node, samples) => Array.from({ length: samples }, (_, i) => `${node.state}>${i}`),
    };
    await beamSearch('P', space, beam({ depth: 3 }), collect().sink);
    expect(peak).toBe(6);
  });
});
