// The CLI end to end on the real embedded model (stories260K, one thread): every call, parse
// and score path is real, only the model's words are nonsense.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/main/llm/callLedger.js';
import { resourcePath } from '../../src/main/resourcePaths.js';
import type { IclResult, SystemPromptResult } from '../../src/main/runs/runResult.js';
import { readRunLog } from '../../src/main/store/runLog.js';
import { killAfterCalls, paidKeys, runCli as run, folderFrom as runFolderFrom } from '../support/cliProcess.js';

const root = path.resolve(import.meta.dirname, '../..');
const model = path.resolve(root, '../shared/models/stories260K/stories260K.gguf');

function writeConfig(dir: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'config.json');
  const config = {
    backends: {
      local: {
        plugin: 'llama-cpp',
        settings: { modelPath: model, threads: 1, contextSize: 6144, parallel: 2 },
        concurrency: 2,
      },
    },
    roles: {
      base: { maxTokens: 48 },
      selector: { maxTokens: 1200 },
      judge: { maxTokens: 1400 },
      optimizer: { maxTokens: 1400 },
    },
    search: { width: 2, samples: 3, depth: 3, historySize: 3 },
    retrieval: { k: 1 },
    // The toy model under a JSON grammar never ends a string by itself: a cap lets it close the object.
    jsonTextMaxChars: 100,
    runsDir: 'runs',
    cacheDir: null,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('drpo-studio on the embedded model', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-cli-'));

  // Minutes, not seconds: the toy model's prompts are thousands of tokens (a 512-token vocabulary).
  const LONG = { timeout: 900_000 };

  it(
    'optimize (W=2, M=3, D=3), killed mid-run and resumed, finishes without repeating a finished call, within A.5',
    LONG,
    async () => {
      // Capped at A.5 (`callBudget: "a5"`): the depth grows only while A.5 still covers the rest.
      const config = writeConfig(work, {
        search: { width: 2, samples: 3, depth: 3, historySize: 3, callBudget: 'a5' },
      });
      const dir = await killAfterCalls(['optimize', '--config', config], work, 8);
      const beforeResume = readRunLog(path.join(dir, 'events.jsonl')).events;
      const firstSession = new Set(paidKeys(beforeResume));
      expect(firstSession.size).toBeGreaterThanOrEqual(8);
      expect(existsSync(path.join(dir, 'result.json'))).toBe(false);

      const resumed = run(['optimize', '--resume', dir], work);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(runFolderFrom(resumed.stderr)).toBe(dir);

      const events = readRunLog(path.join(dir, 'events.jsonl')).events;
      const keys = paidKeys(events);
      expect(new Set(keys).size).toBe(keys.length); // no call paid twice, across both sessions
      expect(events.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
      expect(events.at(-1)!.type).toBe('run-finished');

      const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;
      expect(result.stage).toBe('system-prompt');
      expect(typeof result.bestPrompt).toBe('string');
      expect(result.search).toMatchObject({ width: 2, samples: 3, depth: 3 });
      expect(result.a5).toEqual({ optimizer: 18, selector: 3, base: 18, judge: 18 });
      for (const role of ROLES) {
        expect(result.calls[role].samples, role).toBeLessThanOrEqual(result.a5[role]);
        expect(result.calls[role].calls, role).toBeGreaterThan(0);
      }
      // the accounting spans both sessions: every paid call of the log is in it
      const logged = events
        .filter((e) => e.type === 'call' && !e.repair)
        .reduce((n, e) => n + (e.type === 'call' ? e.requests : 0), 0);
      expect(ROLES.reduce((n, r) => n + result.calls[r].calls, 0)).toBe(logged);
      expect(result.wallMs).toBeGreaterThan(0);
      expect(result.backends.local!.calls).toBeGreaterThan(0);
      // every node the log names was scored or visibly failed
      const created = events.filter((e) => e.type === 'node').length;
      const settled = new Set(
        events.flatMap((e) => (e.type === 'node-evaluated' || e.type === 'node-failed' ? [e.id] : [])),
      ).size;
      expect(settled).toBe(created);
      expect(resumed.stdout).toContain('Best system prompt');

      // export: what was optimized ships in the template it was optimized with
      const modelfile = run(['export', '--run', dir, '--format', 'modelfile', '--model', 'stories'], work);
      expect(modelfile.code, modelfile.stderr).toBe(0);
      expect(modelfile.stdout).toContain('FROM stories\nTEMPLATE """# instructions\n\n');
      expect(modelfile.stdout).toContain(result.bestPrompt.slice(0, 40));
      expect(modelfile.stdout).toContain('PARAMETER stop "<END>"');
      const messages = JSON.parse(run(['export', '--run', dir, '--format', 'messages'], work).stdout) as {
        systemPrompt: string;
      };
      expect(messages.systemPrompt).toBe(result.bestPrompt);
    },
  );

  it('icl polishes the starter ICL examples and writes a set the optimize stage reads', LONG, () => {
    // One starter example of each kind keeps this test short on two cores.
    const starter = JSON.parse(readFileSync(resourcePath('icl-examples.json'), 'utf8')) as { kind: string }[];
    const subset = [starter.find((e) => e.kind === 'informative')!, starter.find((e) => e.kind === 'refusal')!];
    const iclFile = path.join(work, 'starter-subset.json');
    writeFileSync(iclFile, JSON.stringify(subset));
    // D = 1: one rewrite an example (the reference's D rewrites), so the test stays short on two cores.
    // The ICL optimizer's prompt (its rules, two demonstrations, the critique) runs past 6144 of the toy model's
    // tokens: about one a character, with its 512-token vocabulary.
    const backends = {
      local: { plugin: 'llama-cpp', settings: { modelPath: model, threads: 1, contextSize: 12288, parallel: 2 } },
    };
    const config = writeConfig(work, { backends, data: { iclExamples: iclFile }, iclSearch: { depth: 1 } });
    const out = run(['icl', '--config', config], work);
    expect(out.code, out.stderr).toBe(0);
    const dir = runFolderFrom(out.stderr);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as IclResult;
    expect(result.examples).toHaveLength(2);
    expect(result.a5).toEqual({ optimizer: 2, selector: 2, base: 0, judge: 2 });
    expect(result.calls.judge.calls).toBeGreaterThanOrEqual(2);
    expect(result.calls.optimizer.calls).toBeGreaterThan(0); // some answer was scored and rewritten
    // A.5 counts W·M·D judgements an example; the initial answer is judged too (one more, as the reference).
    const judgedAtMost = { ...result.a5, judge: result.a5.judge + result.examples.length };
    for (const role of ROLES) expect(result.calls[role].samples, role).toBeLessThanOrEqual(judgedAtMost[role]);
    expect(result.calls.base.calls).toBe(0);
    const polished = JSON.parse(readFileSync(path.join(dir, 'icl-examples.json'), 'utf8')) as {
      query: string;
      answer: string;
    }[];
    expect(polished.map((e) => e.query)).toEqual(result.examples.map((e) => e.query));
    for (const [i, e] of result.examples.entries()) {
      expect(polished[i]!.answer).toBe(e.after);
      if (e.scoreAfter !== null && e.scoreBefore !== null) expect(e.scoreAfter).toBeGreaterThanOrEqual(e.scoreBefore);
    }
    const estimate = JSON.parse(
      run(
        [
          'estimate',
          '--config',
          writeConfig(work, { data: { iclExamples: path.join(dir, 'icl-examples.json') } }),
          '--json',
        ],
        work,
      ).stdout,
    ) as {
      a5: Record<string, number>;
    };
    expect(estimate.a5.base).toBe(18);
  });

  // The paper's setup, from the examples folder as the README says: its backend's model file does not
  // exist, so these also show that estimate opens no backend.
  const examples = path.join(root, 'examples');
  const estimate = (...args: string[]) => {
    const out = run(['estimate', '--config', 'paper-setup.json', ...args], examples);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  type Estimate = {
    a5: Record<string, number>;
    planned: Record<string, number>;
    worstCase: Record<string, number>;
    levels: { planned: number; worstCase: number };
  };

  it("estimate prints the A.5 counts of the paper's setting, the plan and the worst case with depth extension", () => {
    const e = JSON.parse(estimate('--json')) as Estimate;
    // W=2, M=3, D=20: A.5 is W·M·D = 120 of each, and D = 20 selections.
    expect(e.a5).toEqual({ optimizer: 120, selector: 20, base: 120, judge: 120 });
    // The root level holds one state: 3 rewrites at level 1, then 6 on each of the 18 levels after it.
    expect(e.planned).toEqual({ optimizer: 111, selector: 20, base: 112, judge: 112 });
    // 180 seed queries (86 + 52 + 42): the depth may grow by all 10 levels, to 30: 3 + 6 × 28 rewrites.
    expect(e.levels).toEqual({ planned: 20, worstCase: 30 });
    expect(e.worstCase).toEqual({ optimizer: 171, selector: 30, base: 172, judge: 172 });
    const table = estimate();
    expect(table).toContain("system-prompt stage: 20 levels (the root's included), up to 30 with depth extension");
    expect(table).toMatch(/^optimizer +120 +111 +171 /m);
    // A local model file has no price: said so, not $0.
    expect((JSON.parse(estimate('--json')) as { cost: Record<string, unknown> }).cost.judge).toEqual({
      backend: 'local',
      noPrice: 'no price for local',
    });
    expect(table).toMatch(/^judge .* no price for local$/m);
  });

  it("estimate of the paper's ICL stage: 80 rewrites for its 16 examples, as A.5 counts, and 96 judgements", () => {
    const e = JSON.parse(estimate('--stage', 'icl', '--json')) as Estimate;
    // W=1, M=1, D=5 on 16 examples: 5 rewrites each (A.5: W·M·D), the initial answer judged too.
    expect(e.a5).toEqual({ optimizer: 80, selector: 16, base: 0, judge: 80 });
    expect(e.planned).toEqual({ optimizer: 80, selector: 16, base: 0, judge: 96 });
    expect(e.worstCase).toEqual(e.planned);
    expect(e.levels).toEqual({ planned: 6, worstCase: 6 });
    expect(estimate('--stage', 'icl')).toMatch(/^optimizer +80 +80 +80 /m);
  });

  it('refuses a bad config with a message that names the problem', () => {
    const file = path.join(work, 'bad.json');
    writeFileSync(file, JSON.stringify({ backends: { local: { plugin: 'llama-cpp' } }, search: { width: 0 } }));
    const out = run(['optimize', '--config', file], work);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/invalid config[\s\S]*search\.width/);
  });
});
