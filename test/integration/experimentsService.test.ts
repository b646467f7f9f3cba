// Experiments through the studio's service API, on the real embedded model (stories260K through a
// saved llama-cpp connection): just-eval-instruct imported as an evaluation-set dataset (ids,
// splits and sources kept), an experiment of two setups on two targets started from it, watched
// live, cancelled mid-way and resumed without paying for any call twice, then its cells and
// tables read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { readEvalSet } from '../../src/main/experiments/evalSet.js';
import type { RunEventMessage } from '../../src/shared/studioApi.js';
import { TINY_MODEL } from '../support/pluginTestKit.js';

const JUST_EVAL = path.resolve(import.meta.dirname, '../../../shared/reference/just-eval/just_eval_instruct.json');

async function until(condition: () => boolean, what: string, ms: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const experimentConfig = (evalSet: Record<string, unknown>) => ({
  backends: { tiny: { connection: 'tiny', concurrency: 2 } },
  evalSet,
  setups: [
    { name: 'basic', kind: 'baseline' },
    { name: 'brief', kind: 'prompt', systemPrompt: 'Answer in one short, kind sentence.' },
  ],
  targets: [
    { name: 'greedy', backend: 'tiny', maxTokens: 32 },
    { name: 'warm', backend: 'tiny', maxTokens: 32, temperature: 0.8, seed: 7 },
  ],
  judge: { backend: 'tiny', maxTokens: 600, reasonMaxChars: 20, allowNotApplicable: false },
  cacheDir: null,
});

describe('experiments through the studio service', () => {
  let userData: string;
  let service: StudioService;

  beforeAll(async () => {
    userData = mkdtempSync(path.join(tmpdir(), 'drpo-experiments-'));
    service = createStudioService({ userDataDir: userData });
    await service.api.connections.save('tiny', {
      plugin: 'llama-cpp',
      settings: { modelPath: TINY_MODEL, threads: 1, contextSize: 6144, parallel: 2 },
    });
    await service.api.datasets.import(
      'just-eval',
      'eval-set',
      'just_eval_instruct.json',
      readFileSync(JUST_EVAL, 'utf8'),
    );
  });

  afterAll(async () => {
    await service.close();
    rmSync(userData, { recursive: true, force: true });
  });

  it("keeps an evaluation set's ids, splits and sources as a dataset whose file reads as the set", async () => {
    const original = readEvalSet(JUST_EVAL);
    const dataset = await service.api.datasets.get('just-eval');
    expect(dataset.kind).toBe('eval-set');
    expect(dataset.items).toHaveLength(original.length);
    expect(dataset.items[0]).toEqual({
      id: original[0]!.id,
      query: original[0]!.instruction,
      split: original[0]!.split,
      tags: original[0]!.tags,
    });
    expect(new Set(dataset.items.map((i) => i.split))).toEqual(new Set(['regular', 'safety']));
    // Edited in the studio (a row added, no id given) and saved, it still reads as the same set plus one.
    await service.api.datasets.save({
      name: 'edited',
      kind: 'eval-set',
      items: [...dataset.items.slice(0, 3), { query: 'Is the sea salty?', tags: { source: ['mine'] } }],
    });
    const edited = readEvalSet(path.join(userData, 'datasets/edited.json'));
    expect(edited.slice(0, 3)).toEqual(original.slice(0, 3));
    expect(edited[3]).toMatchObject({ instruction: 'Is the sea salty?', split: 'regular', tags: { source: ['mine'] } });
    expect(new Set(edited.map((i) => i.id)).size).toBe(4);
  });

  it('refuses an experiment on a dataset that is not an evaluation set, and an unknown experiment', async () => {
    await service.api.datasets.import('seeds', 'seed-queries', 'seeds.txt', 'Tell me a story.\n');
    await expect(service.api.experiments.start({ config: experimentConfig({ dataset: 'seeds' }) })).rejects.toThrow(
      /not an evaluation set/,
    );
    await expect(service.api.experiments.start({ config: experimentConfig({ dataset: 'nope' }) })).rejects.toThrow(
      /no dataset "nope"/,
    );
    await expect(service.api.experiments.get('missing')).rejects.toThrow(/no experiment missing/);
    expect(await service.api.experiments.list()).toEqual([]);
  });

  it('runs live, stops mid-way and resumes paying for no call twice, then reports every cell and table', async () => {
    const { api } = service;
    const { id } = await api.experiments.start({
      config: experimentConfig({ dataset: 'just-eval', sample: { size: 3, seed: 11 } }),
    });
    const seen: RunEventMessage[] = [];
    const unsubscribe = api.experiments.subscribe(id, 0, (event) => seen.push(event));
    const settledJudgments = () => seen.filter((e) => e.type === 'eval-judged' || e.type === 'eval-unjudged').length;
    expect((await api.experiments.list())[0]).toMatchObject({
      id,
      status: 'running',
      items: 3,
      setups: ['basic', 'brief'],
      targets: ['greedy', 'warm'],
      total: 12,
    });

    await until(() => settledJudgments() >= 2, 'two judgments', 120_000);
    await api.experiments.cancel(id);
    const stopped = await api.experiments.get(id);
    expect(stopped.summary.status).toBe('cancelled');
    expect(stopped.result).toBeUndefined();
    expect(stopped.progress.judged).toBeGreaterThanOrEqual(2);
    expect(stopped.progress.judged).toBeLessThan(12);
    const paidBefore = seen.filter((e) => e.type === 'call').length;

    await api.experiments.resume(id);
    await service.experiments.settled(id);
    unsubscribe();

    const detail = await api.experiments.get(id);
    expect(detail.summary, detail.summary.error).toMatchObject({ status: 'finished', judged: 12, total: 12 });
    expect(seen.map((e) => e.seq)).toEqual([...seen.keys()]); // every event once, in order, across the stop
    expect(seen.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
    const calls = seen.filter((e) => e.type === 'call');
    expect(calls.length).toBeGreaterThan(paidBefore);
    const keys = calls.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(calls.filter((e) => e.role === 'judge').length).toBeGreaterThan(0);
    const judged = seen
      .filter((e) => e.type === 'eval-judged' || e.type === 'eval-unjudged')
      .map((e) => `${e.setup}@${e.target}#${e.itemId}`);
    expect(new Set(judged).size).toBe(12);
    expect(judged).toHaveLength(12);

    const result = detail.result!;
    expect(result.cells.map((c) => `${c.setup}@${c.target}`)).toEqual([
      'basic@greedy',
      'brief@greedy',
      'basic@warm',
      'brief@warm',
    ]);
    for (const cell of result.cells) {
      expect(cell.items).toBe(3);
      expect(cell.judged + cell.unjudged).toBe(3);
      expect(cell.cost.answers.calls).toBe(3);
    }
    expect(result.cells.filter((c) => c.setup === 'brief').every((c) => c.delta !== undefined)).toBe(true);
    expect(detail.progress).toMatchObject({ total: 12, answered: 12, judged: 12 });
    expect(detail.progress.calls).toBe(calls.reduce((s, e) => s + (e.requests as number), 0));

    const tables = Object.fromEntries(detail.tables!.map((t) => [t.name, t]));
    expect(tables.aspects!.header).toEqual([
      'Model',
      'Setup',
      'Helpful',
      'Clear',
      'Factual',
      'Deep',
      'Engage',
      'Avg.',
      'Avg. just-eval (N/A=5)',
      'Safety',
      'Safety just-eval (N/A=5)',
      'N/A',
      'Unjudged',
    ]);
    expect(tables.aspects!.rows.map((r) => r.slice(0, 2))).toEqual([
      ['greedy', 'basic'],
      ['greedy', 'brief'],
      ['warm', 'basic'],
      ['warm', 'brief'],
    ]);
    expect(tables.aspects!.rows.map((r) => r[11])).toEqual(['0', '0', '0', '0']); // N/A was not allowed
    expect(tables.transfer!.rows.map((r) => r[0])).toEqual(['basic', 'brief']);
    expect(tables['categories-source']!.rows.length).toBeGreaterThan(0);
    expect(tables.cost!.rows).toHaveLength(4);
    await expect(api.experiments.resume(id)).rejects.toThrow(/has finished/);
  }, 240_000);
});
