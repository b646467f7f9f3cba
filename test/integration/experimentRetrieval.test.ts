// Experiments retrieve with each setup's own retriever: a run setup with its run's, the others
// with the experiment's `retrieval.embedder` (the paper's model by default). Here the hub is the
// tests' closed port, so the default gives way to BM25: one warning for the model, the reason in
// every setup's record.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { normalizeExperimentConfig } from '../../src/main/experiments/experimentConfig.js';
import { createExperimentFolder } from '../../src/main/experiments/experimentFolder.js';
import { runExperiment } from '../../src/main/experiments/experimentSession.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { runStage } from '../../src/main/runs/runSession.js';
import { createRunFolder } from '../../src/main/store/runFolder.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { scriptedUserData } from '../support/scriptedUserData.js';

const modelDir = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-bert');
const MODEL = 'sentence-transformers/all-mpnet-base-v2';

describe('retrieval in experiments', () => {
  let dir: string;
  let userDataDir: string;
  let runDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'drpo-exp-retrieval-'));
    userDataDir = await scriptedUserData();
    writeFileSync(path.join(dir, 'eval.json'), JSON.stringify([{ id: 1, instruction: 'Plan a trip.' }]));
    writeFileSync(
      path.join(dir, 'examples.json'),
      JSON.stringify([
        { query: 'Plan a picnic.', answer: 'Pick a park.' },
        { query: 'Bake bread.', answer: 'Knead it.' },
      ]),
    );
    // A finished run whose config ranks with a local model folder.
    const config = normalizeConfig(
      {
        backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 0 } } },
        search: { width: 1, samples: 1, depth: 1 },
        retrieval: { k: 1, embedder: { kind: 'transformers', modelDir } },
        runsDir: path.join(dir, 'runs'),
        cacheDir: null,
      },
      dir,
    );
    const folder = createRunFolder(config, 'system-prompt', 'the test');
    const result = (await runStage(folder, { userDataDir })) as SystemPromptResult;
    expect(result.retrieval).toEqual({
      requested: `transformers:${modelDir}`,
      used: `embeddings:transformers:${modelDir}`,
    });
    runDir = folder.dir;
  });

  const experiment = (retrieval?: unknown) =>
    normalizeExperimentConfig(
      {
        backends: { a: { plugin: 'scripted', settings: { latencyMs: 0 } } },
        evalSet: { file: 'eval.json' },
        setups: [
          { name: 'plain', kind: 'baseline' },
          { name: 'mine', kind: 'prompt', systemPrompt: 'Be kind.', examples: 'examples.json', k: 1 },
          { name: 'also', kind: 'prompt', systemPrompt: 'Be brief.', examples: 'examples.json', k: 1 },
          { name: 'optimized', kind: 'run', run: runDir },
        ],
        targets: [{ name: 'A', backend: 'a' }],
        judge: { backend: 'a' },
        ...(retrieval ? { retrieval } : {}),
        cacheDir: null,
      },
      dir,
    );

  it("by default asks for the paper's model: unavailable, BM25 ranks, one warning; the run setup keeps its run's", async () => {
    const folder = createExperimentFolder(experiment(), 'the test');
    const warnings: string[] = [];
    const result = await runExperiment(folder, { userDataDir, onWarning: (w) => warnings.push(w) });
    const byName = Object.fromEntries(result.setups.map((s) => [s.name, s.retrieval]));
    expect(byName.plain).toEqual({ requested: `hub:${MODEL}`, used: 'none' });
    expect(byName.mine).toMatchObject({ requested: `hub:${MODEL}`, used: 'bm25' });
    expect(byName.mine!.reason).toMatch(/: connection refused$/);
    expect(byName.also).toEqual(byName.mine);
    expect(byName.optimized).toEqual({
      requested: `transformers:${modelDir}`,
      used: `embeddings:transformers:${modelDir}`,
    });
    const retrievalWarnings = warnings.filter((w) => w.startsWith('retrieval:'));
    expect(retrievalWarnings).toEqual([
      `retrieval: all-mpnet-base-v2 unavailable (${byName.mine!.reason}) — BM25 ranks the examples instead`,
    ]);
    const logged = readRunLog(path.join(folder.dir, 'events.jsonl')).events;
    expect(logged.filter((e) => e.type === 'warning' && e.message.startsWith('retrieval:'))).toHaveLength(1);
  });

  it('an experiment-level retrieval key serves the setups that are not runs', async () => {
    const folder = createExperimentFolder(
      experiment({ embedder: { kind: 'transformers', modelDir: path.relative(dir, modelDir) } }),
      'the test',
    );
    const warnings: string[] = [];
    const result = await runExperiment(folder, { userDataDir, onWarning: (w) => warnings.push(w) });
    for (const name of ['mine', 'also', 'optimized'])
      expect(result.setups.find((s) => s.name === name)!.retrieval, name).toEqual({
        requested: `transformers:${modelDir}`,
        used: `embeddings:transformers:${modelDir}`,
      });
    expect(warnings.filter((w) => w.startsWith('retrieval:'))).toEqual([]);
  });
});
