import { describe, expect, it } from 'vitest';
import {
  a5IclCalls,
  a5SystemPromptCalls,
  plannedIclCalls,
  plannedSearch,
  plannedSystemPromptCalls,
  worstCaseDepth,
  worstCaseSystemPromptCalls,
} from '../../src/main/engine/costEstimate.js';
import { iclPlan, systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';

const table7 = {
  algorithm: 'beam' as const,
  width: 2,
  samples: 3,
  depth: 20,
  carryOverAbove: 4.5,
  maxDepthIncrease: 10,
};

describe('call estimates', () => {
  it("A.5 for the paper's system-prompt setting: 120 optimizer samples, 20 selections, 120 generations, 120 judgments", () => {
    expect(a5SystemPromptCalls(2, 3, 20)).toEqual({ optimizer: 120, selector: 20, base: 120, judge: 120 });
    expect(a5SystemPromptCalls(2, 3, 20, false).selector).toBe(0);
  });

  it('A.5 for ICL: (1 + 5 + 5) per example at W=1, M=1, D=5', () => {
    expect(a5IclCalls(1, 1, 5, 16)).toEqual({ optimizer: 80, selector: 16, base: 0, judge: 80 });
  });

  it('the engine plans fewer calls than A.5 allows (the root level has one state)', () => {
    const planned = plannedSystemPromptCalls(systemPromptPlan(table7), true);
    expect(planned).toEqual({ optimizer: 3 + 6 * 18, selector: 20, base: 1 + 3 + 6 * 18, judge: 1 + 3 + 6 * 18 });
    const a5 = a5SystemPromptCalls(2, 3, 20);
    for (const role of ['optimizer', 'selector', 'base', 'judge'] as const)
      expect(planned[role]).toBeLessThanOrEqual(a5[role]);
  });

  it("Monte Carlo spends at most the beam search's budget", () => {
    const mc = plannedSearch(systemPromptPlan({ ...table7, algorithm: 'monte-carlo' }));
    expect(mc).toMatchObject({ evaluations: 120, samples: 119 });
  });

  it('ICL at W=1, M=1, D=5 plans 5 rewrites (A.5) and 6 judgments (A.5 counts 5: the initial answer is judged too)', () => {
    const plan = iclPlan({ ...table7, width: 1, samples: 1, depth: 5 }, '');
    expect(plannedSearch(plan)).toMatchObject({ evaluations: 1 + 5, samples: 5, levels: 6 });
    // The paper's 16 examples: 16 × 5 = 80 rewrites, as A.5; 16 × 6 = 96 judgements.
    expect(plannedIclCalls(plan, 16, true)).toEqual({ optimizer: 80, selector: 16, base: 0, judge: 96 });
    // Monte Carlo on an answer: W·M·D = 5 one-step rewrites of the initial answer.
    const mc = iclPlan({ ...table7, algorithm: 'monte-carlo', width: 1, samples: 1, depth: 5 }, '');
    expect(plannedSearch(mc)).toMatchObject({ evaluations: 6, samples: 5 });
  });

  it('the worst case grows the depth by maxDepthIncrease, as far as the seed queries go', () => {
    const plan = systemPromptPlan(table7);
    // 180 seed queries (the paper's mix): 20 + 10 = 30 levels.
    expect(worstCaseDepth(plan, 180)).toBe(30);
    // Level 1 expands the root into 3, then 28 levels of W·M = 6.
    expect(worstCaseSystemPromptCalls(plan, true, 180, null)).toEqual({
      optimizer: 3 + 6 * 28,
      selector: 30,
      base: 1 + 3 + 6 * 28,
      judge: 1 + 3 + 6 * 28,
    });
    // 25 queries leave room for 5 extensions; 15 for none (the run stops at 15 levels, the plan says 20).
    expect(worstCaseDepth(plan, 25)).toBe(25);
    expect(worstCaseDepth(plan, 15)).toBe(20);
    // Capped at A.5 (callBudget "a5"): never more than A.5 per role.
    expect(worstCaseSystemPromptCalls(plan, true, 180, a5SystemPromptCalls(2, 3, 20))).toEqual({
      optimizer: 120,
      selector: 20,
      base: 120,
      judge: 120,
    });
    // Monte Carlo never extends.
    const mc = systemPromptPlan({ ...table7, algorithm: 'monte-carlo' });
    expect(worstCaseSystemPromptCalls(mc, true, 180, null)).toEqual(plannedSystemPromptCalls(mc, true));
  });
});
