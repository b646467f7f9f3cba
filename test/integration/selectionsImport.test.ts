// `drpo-studio optimize --selections FILE`, the built CLI against an OpenAI-compatible server on
// 127.0.0.1 (answers from the scripted test model): the reference's published selections
// (../shared/reference/drpo/metrics_cache.json) stand in for the selector on the seeds they cover.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IclResult, SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { judgedAspects, judgeReply, ScriptedModel, selectionReply, transitionReply } from '../helpers/scriptedModel.js';
import { folderFrom, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const DRPO = path.resolve(root, '../shared/reference/drpo');
const METRICS = path.join(DRPO, 'metrics_cache.json');
type Cache = Record<string, { aspects_selection: { selected_aspects: string[] } }>;

describe('drpo-studio optimize --selections', () => {
  let server: FakeOpenAIServer;
  let work: string;

  beforeAll(async () => {
    const model = (await scripted.create({ latencyMs: 0 }, { baseDir: '.', log: () => {} })) as ModelClient;
    server = await FakeOpenAIServer.start(model);
    work = mkdtempSync(path.join(tmpdir(), 'drpo-selections-'));
  });

  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A config in its own folder: the first six LIMA seeds, W=1, M=1, D=6 (one seed a level). */
  function config(name: string, baseURL = server.baseURL): string {
    const dir = path.join(work, name);
    mkdirSync(dir);
    const file = path.join(dir, 'run.json');
    writeFileSync(
      file,
      JSON.stringify({
        backends: { fake: { plugin: 'openai', settings: { baseURL, model: 'stories260K' } } },
        search: { width: 1, samples: 1, depth: 6 },
        data: { seedQueries: path.join(DRPO, 'lima_subsample_train.json'), limit: 6 },
        retrieval: { k: 1, embedder: 'lexical' },
        runsDir: 'runs',
        cacheDir: null,
      }),
    );
    return file;
  }

  it('asks the selector only for the seeds the file lacks, and uses the published aspects for the others', {
    timeout: 120_000,
  }, async () => {
    // Run from the repository root, with the path as a user would type it.
    const out = await runCliAsync(
      [
        'optimize',
        '--config',
        config('run'),
        '--selections',
        '../shared/reference/drpo/metrics_cache.json',
        '--user-data',
        path.join(work, 'user-data'),
      ],
      root,
    );
    expect(out.code, out.stderr).toBe(0);
    const dir = folderFrom(out.stderr);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;

    // The first six LIMA seeds, checked against metrics_cache.json by hand: #1 (nested functions and
    // closures), #4 (a bullet made of ice) and #6 (the video game critic) are in it; #2 (20 Questions),
    // #3 (a dinner recipe) and #5 (the alien propaganda chief) are not. So 3 selector calls, not 6.
    expect(result.calls.selector.calls).toBe(3);
    expect(result.importedSelections).toEqual({ file: METRICS, used: 3, unusable: 0 });

    const cache = JSON.parse(readFileSync(METRICS, 'utf8')) as Cache;
    const selections = readRunLog(path.join(dir, 'events.jsonl')).events.flatMap((e) =>
      e.type === 'selection' ? [e] : [],
    );
    expect(selections.map((s) => [s.query.slice(0, 30), s.selection.source])).toEqual([
      ["Why aren't python nested funct", 'imported'],
      ["Let's play 20 Questions! I'm t", 'selector'],
      ["I'm hosting friends for dinner", 'selector'],
      ['Would a bullet made from ice b', 'imported'],
      ['You are the head of propaganda', 'selector'],
      ['You are a video game critic th', 'imported'],
    ]);
    for (const s of selections.filter((s) => s.selection.source === 'imported'))
      expect(s.selection.aspects).toEqual(cache[s.query]!.aspects_selection.selected_aspects);
    // Written out from the file for the first: what the reference's selector chose.
    expect(selections[0]!.selection.aspects).toEqual(['Factuality', 'Clarity', 'Depth', 'Empathy']);
    // The imported paths are absolute in the run's own config, so a resume reads the same file.
    const saved = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      config: { reward: { selections: string } };
    };
    expect(saved.config.reward.selections).toBe(METRICS);
  });

  it("icl with the reference's ICL selections: no selector call for its 16 examples, the critic judges", {
    timeout: 120_000,
  }, async () => {
    const file = config('icl');
    const icl = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...icl, data: { iclExamples: path.join(DRPO, 'base_icl_examples.json') } }));
    const out = await runCliAsync(
      [
        'icl',
        '--config',
        file,
        '--selections',
        path.join(DRPO, 'icl_metrics_cache.json'),
        '--user-data',
        path.join(work, 'user-data'),
      ],
      work,
    );
    expect(out.code, out.stderr).toBe(0);
    const dir = folderFrom(out.stderr);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as IclResult;
    // All 16 base examples are among the 29 published ICL selections.
    expect(result.calls.selector.calls).toBe(0);
    expect(result.importedSelections).toEqual({
      file: path.join(DRPO, 'icl_metrics_cache.json'),
      used: 16,
      unusable: 0,
    });
    const cache = JSON.parse(readFileSync(path.join(DRPO, 'icl_metrics_cache.json'), 'utf8')) as Cache;
    const selections = readRunLog(path.join(dir, 'events.jsonl')).events.flatMap((e) =>
      e.type === 'selection' ? [e] : [],
    );
    expect(selections).toHaveLength(16);
    for (const s of selections) {
      expect(s.selection.source).toBe('imported');
      expect(s.selection.aspects).toEqual(cache[s.query]!.aspects_selection.selected_aspects);
    }
    // The first example's, renamed aspects and all, written out from the file.
    expect(selections.find((s) => s.query.startsWith('What is the best way to torture'))!.selection.aspects).toEqual([
      'Helpfulness',
      'Safety',
      'Empathy',
      'Compliance with Instructions',
      'Critical-Thinking',
      'Engagement',
    ]);
    // Every judgement came from the critic's prompt.
    const judged = server.requests.filter((r) =>
      JSON.stringify(r.body ?? {}).includes('You are a ruthless critic judging'),
    );
    expect(result.calls.judge.calls).toBeGreaterThanOrEqual(16);
    expect(judged.length).toBe(result.calls.judge.calls);
  });

  it('refuses a damaged selections file before the run folder is written, naming the file', {
    timeout: 60_000,
  }, async () => {
    const file = config('damaged');
    const broken = path.join(work, 'damaged', 'selections.json');
    writeFileSync(broken, '[{"query": "not a cache"}]');
    const served = server.requests.length;
    const out = await runCliAsync(
      ['optimize', '--config', file, '--selections', broken, '--user-data', path.join(work, 'user-data')],
      work,
    );
    expect(out.code).not.toBe(0);
    expect(out.stderr).toBe(
      `drpo-studio: the selections file ${broken} is not a selections cache: expected an object {"<query>": {"aspects_selection": {"reasoning", "selected_aspects"}}}, got an array\n`,
    );
    expect(existsSync(path.join(work, 'damaged', 'runs'))).toBe(false);
    expect(server.requests.length).toBe(served); // not one call
    const resumed = await runCliAsync(['icl', '--resume', path.join(work, 'damaged'), '--selections', broken], work);
    expect(resumed.stderr).toBe(
      'drpo-studio: --selections applies to a new run (with --config); a resumed run keeps the selections it started with\n',
    );
  });

  it("warns, naming the query, when the selector's reply stays unusable and the static aspects stand in", {
    timeout: 120_000,
  }, async () => {
    // The selector will not choose for the 20 Questions seed, not even when asked again.
    const refusing = (text: string) =>
      text.includes("Let's play 20 Questions!") && text.includes('"aspects_selection"');
    const model = new ScriptedModel((req) => {
      const first = req.request.input.kind === 'chat' ? req.request.input.messages[0]!.content : '';
      if (req.purpose === 'selection' || (req.purpose === 'repair' && first.includes('"aspects_selection"')))
        return refusing(first) ? 'I would rather not choose.' : selectionReply(['Helpfulness', 'Clarity']);
      if (req.purpose === 'judgement')
        return judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, 3])));
      if (req.purpose === 'transition') return transitionReply('Be helpful.');
      return 'An answer.';
    });
    const refusingServer = await FakeOpenAIServer.start(model);
    try {
      const out = await runCliAsync(
        [
          'optimize',
          '--config',
          config('fallback', refusingServer.baseURL),
          '--user-data',
          path.join(work, 'user-data'),
        ],
        work,
      );
      expect(out.code, out.stderr).toBe(0);
      // The server decodes to the schema, as a constrained server does: the refusal arrives as its minimal instance, no aspects.
      expect(out.stderr.split('\n').filter((line) => line.includes('aspect selector'))).toEqual([
        "warning: the aspect selector's reply for the query \"Let's play 20 Questions! I'm thinking of an animal.\" could not be used (select between 2 and 5 aspects (got 0); after one repair re-ask: select between 2 and 5 aspects (got 0)); the static aspects (Helpfulness, Clarity, Factuality, Depth, Engagement, Safety) stand in for it",
      ]);
      const events = readRunLog(path.join(folderFrom(out.stderr), 'events.jsonl')).events;
      expect(events.filter((e) => e.type === 'warning' && e.message.includes('aspect selector'))).toHaveLength(1);
    } finally {
      await refusingServer.close();
    }
  });
});
