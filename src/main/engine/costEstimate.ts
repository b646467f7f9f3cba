// Call counts before a run starts. `a5*` are the paper's appendix A.5 formulas; `planned*` is
// what this engine's search makes when no state is carried over; `worstCase*` adds every level
// depth extension may grow (the reference's default), or stops at A.5 when the run is capped there.
// The ICL stage judges the initial answer too: one judgement per example more than A.5 counts.
import type { Role } from '../llm/callLedger.js';
import type { BeamOptions } from './search/beamSearch.js';

export type RoleCounts = Record<Role, number>;

/** A.5, system prompt: W·M·D optimizer samples, D reward selections, W·M·D generations, W·M·D evaluations. */
export function a5SystemPromptCalls(w: number, m: number, d: number, dynamic = true): RoleCounts {
  const wmd = w * m * d;
  return { optimizer: wmd, selector: dynamic ? d : 0, base: wmd, judge: wmd };
}

/**
 * A.5, ICL: (1 selection + W·M·D evaluations + W·M·D optimizations) per example. The reference
 * (and this engine) judges the initial answer as well: 1 + W·M·D judgements for W = M = 1.
 */
export function a5IclCalls(w: number, m: number, d: number, examples: number, dynamic = true): RoleCounts {
  const wmd = w * m * d;
  return { optimizer: wmd * examples, selector: dynamic ? examples : 0, base: 0, judge: wmd * examples };
}

/**
 * Evaluations and optimizer samples of one beam search without carry-over or early stop, in
 * bounded work whatever the depth: the beam grows (×M a level, up to W) only for its first few
 * levels, after which every level costs the same, so the rest is one multiplication.
 */
export function plannedSearch(plan: Pick<BeamOptions, 'width' | 'samples' | 'depth'>) {
  let beam = 1;
  let evaluations = 1;
  let samples = 0;
  let optimizerRequests = 0;
  let level = 1;
  for (; level < plan.depth; level++) {
    const next = Math.min(plan.width, beam * plan.samples);
    if (next === beam) break;
    optimizerRequests += beam;
    samples += beam * plan.samples;
    evaluations += beam * plan.samples;
    beam = next;
  }
  const steady = Math.max(0, plan.depth - level);
  optimizerRequests += steady * beam;
  samples += steady * beam * plan.samples;
  evaluations += steady * beam * plan.samples;
  return { evaluations, samples, optimizerRequests, levels: plan.depth };
}

export function plannedSystemPromptCalls(plan: BeamOptions, dynamic: boolean): RoleCounts {
  const p = plannedSearch(plan);
  return { optimizer: p.samples, selector: dynamic ? p.levels : 0, base: p.evaluations, judge: p.evaluations };
}

/**
 * Levels a system-prompt search may reach: D, grown by at most maxDepthIncrease, and never past the
 * seed queries (each extension needs a new one).
 */
export function worstCaseDepth(plan: Pick<BeamOptions, 'depth' | 'maxDepthIncrease'>, queries: number): number {
  return plan.depth + Math.min(plan.maxDepthIncrease, Math.max(0, queries - plan.depth));
}

/**
 * The most calls a system-prompt search can make with depth extension: every level of the grown
 * depth fully rewritten (a bound: a carry-over, which grows the depth, saves that level's rewrites).
 * Capped at `budget` (A.5) when the run is: the depth then grows only while A.5 covers the rest.
 */
export function worstCaseSystemPromptCalls(
  plan: BeamOptions,
  dynamic: boolean,
  queries: number,
  budget: RoleCounts | null,
): RoleCounts {
  const worst = plannedSystemPromptCalls({ ...plan, depth: worstCaseDepth(plan, queries) }, dynamic);
  if (!budget) return worst;
  return {
    optimizer: Math.min(worst.optimizer, budget.optimizer),
    selector: Math.min(worst.selector, budget.selector),
    base: Math.min(worst.base, budget.base),
    judge: Math.min(worst.judge, budget.judge),
  };
}

export function plannedIclCalls(plan: BeamOptions, examples: number, dynamic: boolean): RoleCounts {
  const p = plannedSearch(plan);
  return {
    optimizer: p.samples * examples,
    selector: dynamic ? examples : 0,
    base: 0,
    judge: p.evaluations * examples,
  };
}
