// `drpo-studio aspects try | export | import` through the built CLI (npm run build) against a
// scripted judge behind a local HTTP server that scores by the rubric wording it reads
// (test/support/rubricJudge.ts: "strict" → 2, else 4), and once on the real embedded model.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { AspectTryResult } from '../../src/shared/aspectTry.js';
import { runCliAsync } from '../support/cliProcess.js';
import type { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { type RubricJudgeScript, startRubricJudge } from '../support/rubricJudge.js';
import { connectionTo } from '../support/varyingJudge.js';

const HELPFULNESS = 'A score of 5 indicates the answer solves the task, while a 1 suggests it does not.';
const BREVITY = 'A score of 5 indicates a short answer, while a 1 suggests padding.';
const catalog = {
  aspects: [
    // In the order the catalog is written back.
    { name: 'Helpfulness', description: 'Does it help?', enabled: true, rubric: HELPFULNESS },
    { name: 'Brevity', description: 'Is it short?', enabled: true, rubric: BREVITY },
  ],
  staticAspects: ['Helpfulness'],
};

const work = mkdtempSync(path.join(tmpdir(), 'drpo-aspects-cli-'));
const userData = path.join(work, 'user-data');
const servers: FakeOpenAIServer[] = [];

beforeAll(async () => {
  const store = await SettingsStore.open(userData);
  const scripts: [string, RubricJudgeScript][] = [
    ['server', { picks: ['Helpfulness', 'Brevity'] }],
    ['garbled', { picks: ['Helpfulness'], judge: 'unreadable' }],
  ];
  for (const [name, script] of scripts) {
    const { server } = await startRubricJudge(script);
    servers.push(server);
    await store.update((s) => {
      s.connections[name] = connectionTo(server);
    });
  }
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

const cli = (args: string[]) => runCliAsync(['aspects', ...args, '--user-data', userData], work);
const file = (name: string, content: unknown) => {
  const target = path.join(work, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
};
const tryArgs = ['try', '--query', 'Capital of France?', '--answer', 'Paris.', '--selector', 'server'];

describe('drpo-studio aspects import | export', () => {
  it("imports a catalog checked as the studio's editor checks it, and exports it back", async () => {
    const imported = await cli(['import', file('catalog.json', catalog)]);
    expect(imported.code, imported.stderr).toBe(0);
    const exported = await cli(['export']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`${JSON.stringify(catalog, null, 2)}\n`);
    const toFile = path.join(work, 'exported.json');
    expect((await cli(['export', toFile])).code).toBe(0);
    expect(readFileSync(toFile, 'utf8')).toBe(exported.stdout);
  });

  it('refuses a new aspect without a rubric, a duplicate name and a file that is not JSON, with status 2', async () => {
    const noRubric = {
      ...catalog,
      aspects: [...catalog.aspects, { name: 'Wit', description: 'Funny?', enabled: true }],
    };
    const refused = await cli(['import', file('no-rubric.json', noRubric)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"Wit" has no rubric/);
    const twice = { ...catalog, aspects: [...catalog.aspects, { ...catalog.aspects[0]!, name: 'helpfulness' }] };
    expect((await cli(['import', file('twice.json', twice)])).stderr).toMatch(/"helpfulness" appears twice/);
    const notJson = await cli(['import', file('not.json', '{"aspects": [')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not valid JSON/);
    expect((await cli(['export'])).stdout).toBe(`${JSON.stringify(catalog, null, 2)}\n`);
  });
});

describe('drpo-studio aspects try', () => {
  beforeAll(async () => {
    await cli(['import', file('catalog.json', catalog)]);
  });

  it('prints the estimate, the selection and its reasoning, each score, the reward and the cost', async () => {
    const out = await cli([...tryArgs, '--judge', 'server']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^estimate: 2 calls \(select, judge; at most 4 with repair re-asks\), at most [\d,]+ prompt \+ 4,096 output tokens, no price$/,
    );
    expect(lines.slice(1, 6)).toEqual([
      'selection (selector): Helpfulness, Brevity',
      '  reasoning: because Helpfulness, Brevity',
      `Helpfulness: 4 — read "Helpfulness: ${HELPFULNESS}"`,
      `Brevity: 4 — read "Brevity: ${BREVITY}"`,
      'reward: 4.00',
    ]);
    expect(lines[6]).toMatch(/^spent: 2 calls, [\d,]+ prompt \+ [\d,]+ output tokens, no price$/);
  });

  it('tries an edited catalog file, unsaved: the strict rubric scores 2; ticked aspects skip the selector', async () => {
    const strict = 'Be strict: a 5 only for one sentence.';
    const edited = file('edited.json', {
      ...catalog,
      aspects: catalog.aspects.map((a) => (a.name === 'Brevity' ? { ...a, rubric: strict } : a)),
    });
    const out = await cli([...tryArgs, '--judge', 'server', '--catalog', edited, '--aspects', 'brevity', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const { estimate, result } = JSON.parse(out.stdout) as { estimate: { steps: string[] }; result: AspectTryResult };
    expect(estimate.steps).toEqual(['judge']);
    expect(result.selection).toMatchObject({ aspects: ['Brevity'], source: 'ticked' });
    expect(result.judgement).toEqual({
      ok: true,
      scores: [{ aspect: 'Brevity', score: 2, rationale: `read "Brevity: ${strict}"` }],
      reward: 2,
    });
    expect(result.cost.calls).toBe(1);
  });

  it('exits 1 when the judge reply stays unusable, saying why', async () => {
    const out = await cli([...tryArgs, '--judge', 'garbled', '--aspects', 'Helpfulness']);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^judgement: judge reply unusable: .+$/m);
    expect(out.stdout).not.toMatch(/^reward:/m);
    expect(out.stdout).toMatch(/^spent: 2 calls, /m);
  });

  it.each([
    [['try', '--query', 'q', '--judge', 'server', '--aspects', 'Brevity'], /give the answer to judge/],
    [[...tryArgs, '--judge', 'nowhere'], /no saved connection "nowhere"/],
    [[...tryArgs, '--judge', 'server', '--aspects', 'Wit'], /"Wit" is not an aspect of the catalog tried/],
    [[...tryArgs, '--judge', 'server', '--catalog', path.join(work, 'missing.json')], /cannot read .*missing\.json/],
    [[...tryArgs], /no judge connection: give --judge NAME/],
    [['try', '--answer', 'a', '--judge', 'server'], /required option '--query <text>' not specified/],
  ])('refuses bad arguments with status 2: %j', async (args, message) => {
    const out = await cli(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('refuses a hostile catalog file with status 2', async () => {
    const hostile = file('hostile.json', '{"__proto__": {"x": 1}, "aspects": [], "staticAspects": []}');
    const out = await cli([...tryArgs, '--judge', 'server', '--catalog', hostile]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/invalid aspect catalog .*hostile\.json/);
  });
});

describe('drpo-studio aspects try on the embedded model', () => {
  it('runs end to end: a judgement, or a clear "judge reply unusable"', { timeout: 120_000 }, async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'drpo-aspects-llama-'));
    const store = await SettingsStore.open(home);
    const modelPath = path.resolve(import.meta.dirname, '../../../shared/models/stories260K/stories260K.gguf');
    await store.update((s) => {
      s.connections.local = { plugin: 'llama-cpp', settings: { modelPath, threads: 1, contextSize: 4096 } };
    });
    const out = await runCliAsync(
      [
        'aspects',
        'try',
        '--query',
        'Tell me a story.',
        '--answer',
        'Once upon a time.',
        '--aspects',
        'Helpfulness',
        '--judge',
        'local',
        '--user-data',
        home,
      ],
      work,
    );
    // A 260K-parameter model writes nonsense: either its reply reads as scores, or the try says it could not.
    expect([0, 1], out.stderr).toContain(out.code);
    if (out.code === 0) expect(out.stdout).toMatch(/^Helpfulness: [1-5](\.\d+)? — /m);
    else expect(out.stdout).toMatch(/^judgement: judge reply unusable: /m);
    expect(out.stdout).toMatch(/^selection \(ticked\): Helpfulness$/m);
    expect(out.stdout).toMatch(/^spent: [12] calls?, /m);
  });
});
