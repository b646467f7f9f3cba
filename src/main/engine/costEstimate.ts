// Call counts before a run starts. `a5*` are the paper's appendix A.5 formulas (the budget a run
// never exceeds); `planned*` is what this engine's search makes when no state is carried over.
import type { Role } from '../llm/callLedger.js';
import type { BeamOptions } from './search/beamSearch.js';

export type RoleCounts = Record<Role, number>;

/** A.5, system prompt: W·M·D optimizer samples, D reward selections, W·M·D generations, W·M·D evaluations. */
export function a5SystemPromptCalls(w: number, m: number, d: number, dynamic = true): RoleCounts {
  const wmd = w * m * d;
  return { optimizer: wmd, selector: dynamic ? d : 0, base: wmd, judge: wmd };
}

/** A.5, ICL: (1 selection + W·M·D evaluations + W·M·D optimizations) per example. */
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

export function plannedIclCalls(plan: BeamOptions, examples: number, dynamic: boolean): RoleCounts {
  const p = plannedSearch(plan);
  return {
    optimizer: p.samples * examples,
    selector: dynamic ? examples : 0,
    base: 0,
    judge: p.evaluations * examples,
  };
}
