// Experiments end to end on the real embedded model (stories260K, one thread per context):
// `drpo-studio ablate` (beam and static rewarding, evaluated with the removals), then
// `drpo-studio transfer` with the ablation's beam prompt and the basic prompt × two targets (the
// model under two settings) on a 20-item seeded sample of just-eval-instruct, killed mid-way and
// resumed; and `eval-set fetch` against a local HTTP server.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ExperimentResult } from '../../src/shared/experimentTypes.js';
import { folderFrom, killAfterCalls, paidKeys, runCli, runCliAsync } from '../support/cliProcess.js';
import { listenOnLoopback } from '../support/listenOnLoopback.js';
import { TINY_MODEL } from '../support/pluginTestKit.js';

const root = path.resolve(import.meta.dirname, '../..');
const JUST_EVAL = path.resolve(root, '../shared/reference/just-eval/just_eval_instruct.json');
const llama = (settings: Record<string, unknown>) => ({
  plugin: 'llama-cpp',
  settings: { modelPath: TINY_MODEL, threads: 1, parallel: 1, ...settings },
  concurrency: 1,
});

describe('drpo-studio transfer on the embedded model', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-transfer-'));

  let beamRun: string;
  const judgeBackend = llama({ contextSize: 4096 });
  const judge = { backend: 'judge', maxTokens: 300, reasonMaxChars: 20, allowNotApplicable: false };

  it('ablate: beam search and static rewarding from one run config, evaluated with the basic prompt and the beam prompt without its system prompt or examples', {
    timeout: 900_000,
  }, () => {
    writeFileSync(
      path.join(work, 'run.json'),
      JSON.stringify({
        backends: { local: llama({ contextSize: 6144, parallel: 2 }) },
        roles: {
          base: { maxTokens: 32 },
          selector: { maxTokens: 1200 },
          judge: { maxTokens: 1400 },
          optimizer: { maxTokens: 1400 },
        },
        search: { width: 1, samples: 1, depth: 2 },
        retrieval: { k: 1 },
        // The toy model under a JSON grammar never ends a string by itself: a cap lets it close the object.
        jsonTextMaxChars: 100,
        cacheDir: null,
      }),
    );
    writeFileSync(
      path.join(work, 'ablation.json'),
      JSON.stringify({
        optimize: 'run.json',
        variants: ['beam', 'static'],
        evaluation: {
          backends: { target: llama({ contextSize: 4096 }), judge: judgeBackend },
          evalSet: { file: JUST_EVAL, ids: [3, 850] },
          targets: [{ name: 'tiny', backend: 'target', maxTokens: 32 }],
          judge,
          cacheDir: null,
        },
      }),
    );
    const out = runCli(['ablate', '-c', 'ablation.json'], work);
    expect(out.code, out.stderr).toBe(0);
    const dir = /^ablation (.+)$/m.exec(out.stderr)![1]!;
    const state = JSON.parse(readFileSync(path.join(dir, 'ablation.json'), 'utf8')) as {
      runs: Record<string, string>;
      experiment: string;
    };
    const runResult = (run: string) =>
      JSON.parse(readFileSync(path.join(run, 'result.json'), 'utf8')) as SystemPromptResult;
    const beam = runResult(state.runs.beam!);
    const staticRun = runResult(state.runs.static!);
    expect(beam.calls.selector.calls).toBeGreaterThan(0);
    expect(staticRun.calls.selector.calls).toBe(0);
    const result = JSON.parse(readFileSync(path.join(state.experiment, 'result.json'), 'utf8')) as ExperimentResult;
    expect(result.setups.map((s) => s.name)).toEqual([
      'basic prompt',
      'beam',
      'beam, static reward',
      'beam − system prompt',
      'beam − ICL examples',
    ]);
    expect(result.setups[1]!.systemPrompt).toBe(beam.bestPrompt);
    expect(result.setups[3]).toMatchObject({ systemPrompt: 'You are a helpful assistant.', k: 1 });
    expect(result.setups[4]).toMatchObject({ systemPrompt: beam.bestPrompt, k: 0, examples: 0 });
    // One regular and one safety item, each answered and judged under every setup.
    expect(result.evalSet).toMatchObject({ items: 2, regular: 1, safety: 1 });
    for (const cell of result.cells) expect(cell.judged + cell.unjudged).toBe(2);
    expect(out.stdout).toContain('| tiny | beam − ICL examples |');
    beamRun = state.runs.beam!;
  });

  it("evaluates a baseline and a finished run's prompt on two targets, resumes after a kill without re-judging, and writes the tables", {
    timeout: 900_000,
  }, () => {
    // The ablation's beam run gives the second setup its prompt.
    const runDir = beamRun;
    // The judge has a context of its own, so its long fixed instructions stay cached between items.
    writeFileSync(
      path.join(work, 'transfer.json'),
      JSON.stringify({
        backends: { greedy: llama({ contextSize: 4096 }), sampled: llama({ contextSize: 2048 }), judge: judgeBackend },
        evalSet: { file: JUST_EVAL, sample: { size: 20, seed: 11 } },
        setups: [
          { name: 'basic', kind: 'baseline' },
          { name: 'optimized', kind: 'run', run: runDir },
        ],
        targets: [
          { name: 'tiny-greedy', backend: 'greedy', maxTokens: 32 },
          { name: 'tiny-sampled', backend: 'sampled', maxTokens: 32, temperature: 0.8, seed: 5 },
        ],
        // The toy model answers "N/A" to everything when it may; real judges rarely do.
        judge,
        cacheDir: null,
      }),
    );
    return killAfterCalls(['transfer', '-c', 'transfer.json'], work, 25, 'judge').then((dir) => {
      const before = readRunLog(path.join(dir, 'events.jsonl')).events;
      const judgedBefore = before.filter((e) => e.type === 'eval-judged' || e.type === 'eval-unjudged').length;
      expect(judgedBefore).toBeGreaterThanOrEqual(20);
      expect(existsSync(path.join(dir, 'result.json'))).toBe(false);

      const resumed = runCli(['transfer', '--resume', dir], work);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(folderFrom(resumed.stderr)).toBe(dir);
      const events = readRunLog(path.join(dir, 'events.jsonl')).events;
      const judgeKeys = paidKeys(events, 'judge');
      expect(new Set(judgeKeys).size).toBe(judgeKeys.length);
      const allKeys = paidKeys(events);
      expect(new Set(allKeys).size).toBe(allKeys.length);
      expect(events.filter((e) => e.type === 'eval-judged' || e.type === 'eval-unjudged')).toHaveLength(80);

      const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as ExperimentResult;
      expect(result.evalSet.items).toBe(20);
      expect(result.evalSet.regular + result.evalSet.safety).toBe(20);
      expect(result.setups.map((s) => s.name)).toEqual(['basic', 'optimized']);
      expect(result.setups[1]!.systemPrompt).toBe(
        (JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')) as { bestPrompt: string }).bestPrompt,
      );
      expect(result.cells).toHaveLength(4);
      for (const cell of result.cells) {
        expect(cell.items).toBe(20);
        expect(cell.judged + cell.unjudged).toBe(20);
        expect(cell.cost.answers.calls).toBe(20);
        if (cell.judged > 0) expect(cell.average === null || (cell.average >= 1 && cell.average <= 5)).toBe(true);
      }
      expect(resumed.stdout).toContain(
        '| Setup | tiny-greedy | tiny-greedy just-eval (N/A=5) | tiny-sampled | tiny-sampled just-eval (N/A=5) |',
      );
      expect(resumed.stdout).toContain(
        '| Model | Setup | Helpful | Clear | Factual | Deep | Engage | Avg. | Avg. just-eval (N/A=5) | Safety | Safety just-eval (N/A=5) | N/A | Unjudged |',
      );
      for (const file of [
        'aspects.md',
        'aspects.csv',
        'transfer.md',
        'transfer.csv',
        'categories-source.csv',
        'cost.csv',
        'tables.md',
      ]) {
        expect(existsSync(path.join(dir, 'tables', file)), file).toBe(true);
      }
      expect(readFileSync(path.join(dir, 'tables', 'transfer.csv'), 'utf8').split('\n')[0]).toBe(
        'Setup,tiny-greedy,tiny-greedy just-eval (N/A=5),tiny-sampled,tiny-sampled just-eval (N/A=5)',
      );
    });
  });

  it('refuses a literal API key before a run or an experiment writes its folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-secret-'));
    const backends = { cloud: { plugin: 'openai', settings: { model: 'gpt-4o-mini', apiKey: 'sk-live-secret-123' } } };
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ backends }));
    writeFileSync(
      path.join(dir, 'exp.json'),
      JSON.stringify({
        backends,
        evalSet: { file: JUST_EVAL },
        setups: [{ name: 'b', kind: 'baseline' }],
        targets: [{ name: 't', backend: 'cloud' }],
        judge: { backend: 'cloud' },
      }),
    );
    for (const args of [
      ['optimize', '-c', 'run.json', '--user-data', 'home'],
      ['transfer', '-c', 'exp.json', '--user-data', 'home'],
    ]) {
      const out = runCli(args, dir);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('is a secret and is never stored in a file');
      expect(out.stderr).not.toContain('sk-live-secret-123');
    }
    expect(existsSync(path.join(dir, 'runs'))).toBe(false);
    expect(existsSync(path.join(dir, 'experiments'))).toBe(false);
  });

  it('refuses judge.protocol "just-eval" without its templates before any call or folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-protocol-'));
    writeFileSync(
      path.join(dir, 'exp.json'),
      JSON.stringify({
        backends: { local: llama({}) },
        evalSet: { file: JUST_EVAL, ids: [0] },
        setups: [{ name: 'b', kind: 'baseline' }],
        targets: [{ name: 't', backend: 'local' }],
        judge: { backend: 'local', protocol: 'just-eval' },
      }),
    );
    const out = runCli(['eval', '-c', 'exp.json', '--user-data', 'home'], dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      `judge.protocol is "just-eval", but just-eval's judge templates are not in ${path.join(dir, 'home', 'just-eval')}`,
    );
    expect(existsSync(path.join(dir, 'experiments'))).toBe(false);
  });

  it("eval-set fetch downloads the benchmark and just-eval's two templates over HTTP, and refuses what is not an evaluation set or a template", async () => {
    const body = readFileSync(JUST_EVAL);
    const reference = (file: string) => readFileSync(path.resolve(JUST_EVAL, '..', file), 'utf8');
    // just-eval's Python files: `NAME = """\` + newline, the template, `"""`.
    const python = (name: string, file: string) => `${name} = """\\\n${reference(file)}"""\n`;
    const routes: Record<string, string> = {
      '/just_eval/_MULTI_SCORE_TEMPLATE.py': python('MULTI_SCORE_TEMPLATE', 'score_multi.template.txt'),
      '/just_eval/_SAFETY_SCORE_TEMPLATE.py': python('SAFETY_SCORE_TEMPLATE', 'score_safety.template.txt'),
      '/html/_MULTI_SCORE_TEMPLATE.py': '<!DOCTYPE html><html><body>Sign in</body></html>',
      '/html/_SAFETY_SCORE_TEMPLATE.py': python('SAFETY_SCORE_TEMPLATE', 'score_safety.template.txt'),
    };
    const server = createServer((req, res) => {
      if (req.url === '/just_eval_instruct.json') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else if (req.url && routes[req.url]) res.writeHead(200, { 'content-type': 'text/plain' }).end(routes[req.url]);
      else res.writeHead(404).end('not found');
    });
    const base = `http://127.0.0.1:${await listenOnLoopback(server)}`;
    try {
      const fetchTo = (url: string, out: string, templates = `${base}/just_eval/`) =>
        runCliAsync(
          ['eval-set', 'fetch', '--url', url, '-o', out, '--templates-url', templates, '--user-data', 'fetch-home'],
          work,
        );
      const ok = await fetchTo(`${base}/just_eval_instruct.json`, 'fetched.json');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('1000 items written');
      expect((JSON.parse(readFileSync(path.join(work, 'fetched.json'), 'utf8')) as unknown[]).length).toBe(1000);
      // The templates land where experiments look for them, exactly as the reference copies read.
      for (const file of ['score_multi.template.txt', 'score_safety.template.txt'])
        expect(readFileSync(path.join(work, 'fetch-home', 'just-eval', file), 'utf8')).toBe(reference(file));
      const missing = await fetchTo(`${base}/nope.json`, 'nope.json');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('answered HTTP 404');
      expect(existsSync(path.join(work, 'nope.json'))).toBe(false);
      // A page that is not just-eval's Python file: nothing is written, the set neither.
      const html = await fetchTo(`${base}/just_eval_instruct.json`, 'html.json', `${base}/html/`);
      expect(html.code).toBe(1);
      expect(html.stderr).toContain('no string literal is assigned to MULTI_SCORE_TEMPLATE');
      expect(existsSync(path.join(work, 'html.json'))).toBe(false);
    } finally {
      server.close();
    }
  });
});
