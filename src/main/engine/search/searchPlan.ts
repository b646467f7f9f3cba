// The search variants the paper compares, as beam-search plans:
//   beam         W, M, D as given (Table 7)
//   greedy       beam search with W = 1 (appendix A.2)
//   monte-carlo  N one-step samples from the root, each evaluated once, best kept (appendix A.2);
//                N defaults to W×M×D − 1 so its calls stay within the beam search's A.5 budget
// The ICL stage runs the same plans on an example's answer, with D levels of rewrites after the
// initial answer's judgement (the reference's num_iters = D): W·M·D rewrites, as A.5 counts, and
// one judgement more than A.5 (the initial answer's).
import type { SearchAlgorithm } from '../../../shared/runOptions.js';
import type { BeamOptions } from './beamSearch.js';

export interface SearchSettings {
  algorithm: SearchAlgorithm;
  width: number;
  samples: number;
  depth: number;
  carryOverAbove: number | null;
  maxDepthIncrease: number;
  monteCarloSamples?: number;
}

export function monteCarloSampleCount(settings: SearchSettings): number {
  return settings.monteCarloSamples ?? Math.max(1, settings.width * settings.samples * settings.depth - 1);
}

export function systemPromptPlan(settings: SearchSettings): BeamOptions {
  const common = {
    ranking: 'path-mean' as const,
    stopWhenPerfect: false,
    result: 'top-of-beam' as const,
    idPrefix: '',
  };
  switch (settings.algorithm) {
    case 'beam':
      return { ...common, ...pick(settings) };
    case 'greedy':
      return { ...common, ...pick(settings), width: 1 };
    case 'monte-carlo':
      return {
        ...common,
        ranking: 'last',
        width: 1,
        samples: monteCarloSampleCount(settings),
        depth: 2,
        carryOverAbove: null,
        maxDepthIncrease: 0,
      };
  }
}

/**
 * ICL answers (reference): the state's own reward ranks it, the chain goes on from the latest
 * answer, the best answer seen wins (the later on ties), and a perfect score ends the search after
 * the rewrite that follows it. D rewrite levels follow the root; Monte Carlo samples W·M·D rewrites.
 */
export function iclPlan(settings: SearchSettings, idPrefix: string): BeamOptions {
  const plan = systemPromptPlan({
    ...settings,
    depth: settings.depth + 1,
    monteCarloSamples: settings.monteCarloSamples ?? settings.width * settings.samples * settings.depth,
    carryOverAbove: null,
    maxDepthIncrease: 0,
  });
  return { ...plan, ranking: 'last', result: 'best-seen', stopWhenPerfect: true, idPrefix };
}

function pick(s: SearchSettings) {
  return {
    width: s.width,
    samples: s.samples,
    depth: s.depth,
    carryOverAbove: s.carryOverAbove,
    maxDepthIncrease: s.maxDepthIncrease,
  };
}
