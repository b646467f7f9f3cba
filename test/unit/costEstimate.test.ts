import { describe, expect, it } from 'vitest';
import {
  a5IclCalls,
  a5SystemPromptCalls,
  plannedSearch,
  plannedSystemPromptCalls,
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

  it('ICL at W=1, M=1, D=5 plans 5 judgments and 4 rewrites per example', () => {
    expect(plannedSearch(iclPlan({ ...table7, width: 1, samples: 1, depth: 5 }, ''))).toMatchObject({
      evaluations: 5,
      samples: 4,
    });
  });
});
