// The search variants the paper compares, as beam-search plans:
//   beam         W, M, D as given (Table 7)
//   greedy       beam search with W = 1 (appendix A.2)
//   monte-carlo  N one-step samples from the root, each evaluated once, best kept (appendix A.2);
//                N defaults to W×M×D − 1 so its calls stay within the beam search's A.5 budget
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
  const common = { ranking: 'path-mean' as const, stopAtReward: null, result: 'top-of-beam' as const, idPrefix: '' };
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

/** ICL answers: the state's own reward ranks it, the best answer seen wins, a perfect score ends the search (reference). */
export function iclPlan(settings: SearchSettings, idPrefix: string): BeamOptions {
  const plan = systemPromptPlan({ ...settings, carryOverAbove: null, maxDepthIncrease: 0 });
  return { ...plan, ranking: 'last', result: 'best-seen', stopAtReward: 5, idPrefix };
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
