// Runs side by side, as data: the table's figures from each run's result, the best prompt to diff,
// and reward by depth merged into one series per run. Run details written out by hand.
import { describe, expect, it } from 'vitest';
import { comparedRun, overlaySeries } from '../../src/renderer/src/screens/runs/compare/comparison';
import type { RunDetail, TreeNode } from '../../src/shared/studioApi';

function node(
  id: string,
  level: number,
  reward: number | null,
  score: number | null,
  state = `prompt ${id}`,
): TreeNode {
  return { id, parentId: null, level, state, action: 'rewrite', query: '', reward, score, inBeam: true };
}

const FINISHED: RunDetail = {
  id: 'run-a',
  stage: 'system-prompt',
  status: 'finished',
  createdAt: 1,
  bestScore: 4.5,
  nodeCount: 4,
  calls: 21,
  config: { search: { algorithm: 'beam', width: 2, samples: 3, depth: 2 } },
  tree: [node('a0', 0, 3, null), node('a1', 1, 4, 4), node('a2', 1, 2, 2), node('a3', 2, 5, 4.5)],
  result: {
    bestPrompt: 'Be helpful and kind.',
    wallMs: 65_000,
    calls: {
      base: { calls: 9, promptTokens: 100, completionTokens: 50, costUsd: 0.01 },
      selector: { calls: 2, promptTokens: 0, completionTokens: 0, costUsd: 0 },
      judge: { calls: 8, promptTokens: 200, completionTokens: 20, costUsd: 0.002 },
      optimizer: { calls: 2, promptTokens: 30, completionTokens: 30, costUsd: 0 },
    },
  },
};

const PUBLISHED: RunDetail = {
  id: 'run-b',
  stage: 'system-prompt',
  status: 'finished',
  createdAt: 2,
  bestScore: 4.25,
  nodeCount: 4,
  calls: 0,
  source: { kind: 'published-trace', model: 'mistral-7b-v0.1' },
  config: { search: { width: 2, samples: 3, depth: 20 } },
  tree: [
    node('trace-1', 0, 4, null),
    node('trace-2', 1, 3.5, 3.5),
    node('trace-3', 2, null, null),
    node('trace-4', 3, 5, 4.25),
  ],
  result: { bestPrompt: 'You are a helpful assistant.', source: { kind: 'published-trace', model: 'mistral-7b-v0.1' } },
};

const RUNNING: RunDetail = {
  id: 'run-c',
  stage: 'system-prompt',
  status: 'running',
  createdAt: 3,
  bestScore: 3,
  nodeCount: 3,
  calls: 7,
  config: { search: { width: 1, samples: 2, depth: 5 } },
  tree: [node('c0', 0, 2, null), node('c1', 1, 3, 3, 'the best so far'), node('c2', 1, null, null)],
};

describe('comparedRun', () => {
  it('a finished run: its calls, and the tokens, dollars and wall time its result recorded', () => {
    expect(comparedRun(FINISHED, 0)).toEqual({
      id: 'run-a',
      label: 'run-a',
      color: '#0969da',
      stage: 'system-prompt',
      status: 'finished',
      search: 'W 2 × M 3 × D 2',
      bestScore: 4.5,
      calls: 21,
      tokens: { prompt: 330, completion: 100 },
      costUsd: 0.012,
      wallMs: 65_000,
      bestPrompt: 'Be helpful and kind.',
      promptNote: 'best prompt of the result',
    });
  });

  it('a published trace: its prompt and score, no figures (none were published)', () => {
    expect(comparedRun(PUBLISHED, 1)).toMatchObject({
      label: 'mistral-7b-v0.1 (published)',
      color: '#cf222e',
      source: { kind: 'published-trace', model: 'mistral-7b-v0.1' },
      search: null,
      calls: null,
      tokens: null,
      costUsd: null,
      wallMs: null,
      bestPrompt: 'You are a helpful assistant.',
    });
  });

  it('a run still going: its calls, and the best-scored prompt so far', () => {
    expect(comparedRun(RUNNING, 9)).toMatchObject({
      color: '#cf222e',
      search: 'W 1 × M 2 × D 5',
      calls: 7,
      tokens: null,
      costUsd: null,
      wallMs: null,
      bestPrompt: 'the best so far',
      promptNote: 'best-scored prompt so far',
    });
    expect(comparedRun({ ...RUNNING, tree: [node('c0', 0, null, null)] }, 0)).toMatchObject({
      bestPrompt: null,
      promptNote: 'no scored prompt yet',
    });
    expect(comparedRun({ ...RUNNING, stage: 'icl' }, 0)).toMatchObject({ bestPrompt: null, search: null });
  });
});

describe('overlaySeries', () => {
  it('one row per level any run reached, one key per run, null where a run has no figure', () => {
    expect(overlaySeries([FINISHED, PUBLISHED], 'best')).toEqual([
      { level: 0, run0: 3, run1: 4 },
      { level: 1, run0: 4, run1: 3.5 },
      { level: 2, run0: 5, run1: null },
      { level: 3, run0: null, run1: 5 },
    ]);
    expect(overlaySeries([FINISHED, RUNNING], 'mean')).toEqual([
      { level: 0, run0: 3, run1: 2 },
      { level: 1, run0: 3, run1: 3 },
      { level: 2, run0: 5, run1: null },
    ]);
    expect(overlaySeries([FINISHED, PUBLISHED], 'bestScore')).toEqual([
      { level: 0, run0: null, run1: null },
      { level: 1, run0: 4, run1: 3.5 },
      { level: 2, run0: 4.5, run1: null },
      { level: 3, run0: null, run1: 4.25 },
    ]);
  });
});
