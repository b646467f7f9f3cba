// Trying reward criteria on one query (README "Trying criteria on a query") through its real
// pieces: saved connections, the openai plugin over HTTP to a scripted server, schedulers, the
// engine's DynamicReward and its readers. The judge scores by the rubric wording it reads
// (test/support/rubricJudge.ts: "strict" → 2, else 4), so every figure is known by hand.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { runTry } from '../../src/main/aspectTry/runTry.js';
import { planTry } from '../../src/main/aspectTry/tryPlan.js';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { schedulerInUse } from '../../src/main/llm/schedulerPool.js';
import { createRunFolder } from '../../src/main/store/runFolder.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { AspectTryEvent, AspectTryRequest, AspectTryResult } from '../../src/shared/aspectTry.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';
import type { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { GENERATED_ANSWER, type RubricJudgeScript, startRubricJudge } from '../support/rubricJudge.js';
import { connectionTo } from '../support/varyingJudge.js';

const catalog = {
  aspects: [
    {
      name: 'Helpfulness',
      description: 'Does it help the user?',
      rubric: 'A score of 5 indicates the answer solves the task, while a 1 suggests it does not.',
      enabled: true,
    },
    {
      name: 'Brevity',
      description: 'Is it short?',
      rubric: 'A score of 5 indicates a short answer, while a 1 suggests padding.',
      enabled: true,
    },
    { name: 'Humor', description: 'Is it funny?', rubric: 'A 5 is funny.', enabled: false },
  ],
  staticAspects: ['Helpfulness'],
};

/** The same catalog with Brevity's rubric edited (and not saved). */
const stricter = {
  ...catalog,
  aspects: catalog.aspects.map((a) =>
    a.name === 'Brevity' ? { ...a, rubric: 'Be strict: a 5 only for one sentence, a 1 for anything longer.' } : a,
  ),
};

const QUERY = 'What is the capital of France?';
const ANSWER = 'It is Paris.';

let userDataDir: string;
let servers: FakeOpenAIServer[] = [];
let service: StudioService | undefined;

beforeEach(() => {
  userDataDir = mkdtempSync(path.join(tmpdir(), 'drpo-aspect-try-'));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A scripted server saved as connection `name`. */
async function connect(name: string, script: RubricJudgeScript) {
  const started = await startRubricJudge(script);
  servers.push(started.server);
  const store = await SettingsStore.open(userDataDir);
  await store.update((s) => {
    s.connections[name] = connectionTo(started.server);
  });
  return started;
}

const request = (over: Partial<AspectTryRequest> = {}): AspectTryRequest => ({
  catalog,
  query: QUERY,
  answer: { text: ANSWER },
  selector: 'server',
  judge: 'server',
  ...over,
});

/** A try run directly (no probes, so every request the server sees is a call). */
const tryOnce = async (r: AspectTryRequest, host: { maxOverloadWaitMs?: number } = {}) =>
  runTry(await planTry(r, userDataDir), { userDataDir, probe: false, ...host });

/** A try through the service, its events in order. */
function tryThroughService(r: AspectTryRequest): Promise<AspectTryEvent[]> {
  service ??= createStudioService({ userDataDir });
  const events: AspectTryEvent[] = [];
  return new Promise((resolve) => {
    service!.api.aspects.try(r, (event) => {
      events.push(event);
      if (event.type === 'done' || event.type === 'error') resolve(events);
    });
  });
}

const judged = (result: AspectTryResult) => {
  if (!result.judgement.ok) throw new Error(result.judgement.error);
  return {
    scores: Object.fromEntries(result.judgement.scores.map((s) => [s.aspect, s.score])),
    reward: result.judgement.reward,
  };
};

describe('a try on one query', () => {
  it('selects, then judges by the rubric as sent: an unsaved edit changes the score', async () => {
    const { model } = await connect('server', { picks: ['Helpfulness', 'Brevity'] });
    const events = await tryThroughService(request());
    expect(events.map((e) => e.type)).toEqual(['selection', 'done']);
    const done = events[1] as Extract<AspectTryEvent, { type: 'done' }>;
    expect(done.result.selection).toEqual({
      aspects: ['Helpfulness', 'Brevity'],
      reasoning: 'because Helpfulness, Brevity',
      source: 'selector',
    });
    // Neither rubric says "strict": 4 and 4, reward 4.
    expect(judged(done.result)).toEqual({ scores: { Helpfulness: 4, Brevity: 4 }, reward: 4 });
    expect(done.result.judgement.ok && done.result.judgement.scores[1]!.rationale).toBe(
      `read "Brevity: ${catalog.aspects[1]!.rubric}"`,
    );
    // One selection and one judgement; the judge read the rubric, the selector the description.
    expect(model.count('selection')).toBe(1);
    expect(model.count('judgement')).toBe(1);
    expect(model.requests.find((r) => r.purpose === 'selection')!.text).toContain('- Brevity: Is it short?');
    expect(done.result.cost).toMatchObject({ calls: 2, costUsd: null });

    // The edited rubric, not saved: Brevity 2, reward (4 + 2) / 2 = 3.
    const after = await tryThroughService(request({ catalog: stricter }));
    const result = (after.at(-1) as Extract<AspectTryEvent, { type: 'done' }>).result;
    expect(judged(result)).toEqual({ scores: { Helpfulness: 4, Brevity: 2 }, reward: 3 });
    expect(await service!.api.aspects.get()).not.toEqual(stricter);
  });

  it('asks no selector for ticked aspects, and a custom aspect without a rubric is judged by its description', async () => {
    const { model } = await connect('judge', { picks: 'unreadable' });
    const custom = {
      ...catalog,
      aspects: [...catalog.aspects, { name: 'Rigor', description: 'Strict about every claim.', enabled: true }],
    };
    const result = await tryOnce(
      request({ catalog: custom, aspects: ['rigor', 'Humor'], selector: undefined, judge: 'judge' }),
    );
    // Ticked under their catalog names; Humor is off in the catalog but ticked, so judged.
    expect(result.selection).toEqual({
      aspects: ['Rigor', 'Humor'],
      reasoning: 'The user chose these aspects to judge.',
      source: 'ticked',
    });
    // Rigor's description says "strict": 2; Humor 4; reward 3.
    expect(judged(result)).toEqual({ scores: { Rigor: 2, Humor: 4 }, reward: 3 });
    expect(model.count('selection')).toBe(0);
    expect(model.count('judgement')).toBe(1);
    expect(result.cost.calls).toBe(1);
  });

  it('generates the answer first when asked: answer, selection, done, one call more', async () => {
    const { model } = await connect('server', { picks: ['Helpfulness', 'Brevity'] });
    const events = await tryThroughService(
      request({ answer: { generate: { connection: 'server', systemPrompt: 'Answer in one line.', maxTokens: 64 } } }),
    );
    expect(events.map((e) => e.type)).toEqual(['answer', 'selection', 'done']);
    expect(events[0]).toEqual({ type: 'answer', text: GENERATED_ANSWER });
    const { result } = events[2] as Extract<AspectTryEvent, { type: 'done' }>;
    expect(result.answer).toBe(GENERATED_ANSWER);
    expect(result.cost.calls).toBe(3);
    expect(model.count('selection')).toBe(1);
    expect(model.count('judgement')).toBe(1);
    // The judge read the generated answer.
    expect(model.requests.find((r) => r.purpose === 'judgement')!.text).toContain(GENERATED_ANSWER);
  });

  it('estimates from the prompts it will send, and spends what it estimated on a known prompt', async () => {
    await connect('judge', { picks: 'unreadable' });
    const store = await SettingsStore.open(userDataDir);
    await store.update((s) => {
      s.prices.stories260K = { input: 3, output: 15 };
    });
    const ticked = request({ aspects: ['Helpfulness'], selector: undefined, judge: 'judge' });
    const estimate = await (await planTry(ticked, userDataDir)).estimate;
    // One judge call (one repair at worst), its output bounded by the judge's maxTokens (2048).
    expect(estimate).toMatchObject({ steps: ['judge'], calls: 1, worstCase: 2, completionTokens: 2048 });
    const result = await tryOnce(ticked);
    // The scripted server counts a prompt as ceil(characters / 4) of the one message, as the estimate does.
    expect(result.cost.promptTokens).toBe(estimate.promptTokens);
    expect(estimate.costUsd).toBeCloseTo((estimate.promptTokens * 3 + 2048 * 15) / 1e6, 12);
    // The reply's characters are its completion tokens on this server.
    const reply = JSON.stringify({
      Helpfulness: { rationale: `read "Helpfulness: ${catalog.aspects[0]!.rubric}"`, score: 4 },
    });
    expect(result.cost.completionTokens).toBe(reply.length);
    expect(result.cost.costUsd).toBeCloseTo((estimate.promptTokens * 3 + reply.length * 15) / 1e6, 12);

    const full = await planTry(
      request({
        selector: 'judge',
        judge: 'judge',
        answer: { generate: { connection: 'judge', systemPrompt: 'Be brief.' } },
      }),
      userDataDir,
    );
    expect(full.estimate).toMatchObject({
      steps: ['generate', 'select', 'judge'],
      calls: 3,
      worstCase: 6,
      completionTokens: 3 * 2048,
    });
  });
});

describe('a try that cannot judge', () => {
  it('says the judge reply was unusable after the repair re-ask, with the reason, and gives no score', async () => {
    const { model } = await connect('server', { picks: ['Helpfulness', 'Brevity'], judge: 'unreadable' });
    const result = await tryOnce(request());
    expect(result.judgement.ok).toBe(false);
    expect(!result.judgement.ok && result.judgement.error).toMatch(/^judge reply unusable: /);
    expect(result.judgement).not.toHaveProperty('scores');
    // select 1 + judge 1 + its repair 1.
    expect(model.count('judgement')).toBe(1);
    expect(model.count('repair')).toBe(1);
    expect(result.cost.calls).toBe(3);
  });

  it("falls back to the static aspects, visibly, when the selector's reply is unusable", async () => {
    await connect('server', { picks: 'unreadable' });
    const result = await tryOnce(request());
    expect(result.selection.source).toBe('fallback');
    expect(result.selection.aspects).toEqual(['Helpfulness']);
    expect(result.selection.reasoning).toMatch(
      /^The aspect selector's reply could not be used \(.+\); the static aspects stand in\.$/,
    );
    expect(judged(result)).toEqual({ scores: { Helpfulness: 4 }, reward: 4 });
  });

  it('waits out a 503 and a 429, and asks again after a stream cut mid-reply', async () => {
    const { server, model } = await connect('server', { picks: ['Helpfulness', 'Brevity'] });
    server.fail({ status: 503, retryAfter: 0 }, { status: 429, retryAfter: 0 }, { cutAfterChunks: 2 });
    const result = await tryOnce(request());
    expect(judged(result)).toEqual({ scores: { Helpfulness: 4, Brevity: 4 }, reward: 4 });
    expect(result.cost.calls).toBe(2);
    // Three refused or cut requests, then the selection and the judgement.
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(5);
    expect(model.count('judgement')).toBe(1);
  });

  it('ends with a clear error, not a score, when the server stays full', async () => {
    const { server } = await connect('server', { picks: ['Helpfulness'] });
    server.fail(...Array.from({ length: 20 }, () => ({ status: 503, retryAfter: 1 })));
    await expect(tryOnce(request(), { maxOverloadWaitMs: 1_500 })).rejects.toThrow(
      /^the selector's call to "server" failed: .*503.*\(still full after waiting 1 s in all\)$/,
    );
  });

  it('refuses an unknown connection, an unknown ticked aspect and a catalog a run would refuse, before any call', async () => {
    const events = await tryThroughService(request({ judge: 'nowhere' }));
    expect(events).toEqual([{ type: 'error', error: 'no saved connection "nowhere"' }]);
    await connect('server', { picks: ['Helpfulness'] });
    await expect(planTry(request({ aspects: ['Wit'] }), userDataDir)).rejects.toThrow(
      '"Wit" is not an aspect of the catalog tried',
    );
    const twice = { ...catalog, aspects: [...catalog.aspects, { ...catalog.aspects[0]!, name: 'helpfulness' }] };
    await expect(planTry(request({ catalog: twice }), userDataDir)).rejects.toThrow(/"helpfulness" appears twice/);
    await expect(planTry(request({ selector: undefined }), userDataDir)).rejects.toThrow(
      'a try needs a selector connection, unless aspects are ticked',
    );
  });

  it('stops when unsubscribed: nothing is sent after, and the connection is let go', async () => {
    const { model } = await connect('slow', { picks: ['Helpfulness'], selectionDelayMs: 5_000 });
    service = createStudioService({ userDataDir });
    const events: AspectTryEvent[] = [];
    const stop = service.api.aspects.try(request({ selector: 'slow', judge: 'slow' }), (e) => events.push(e));
    await until(() => model.count('selection') === 1);
    expect(schedulerInUse('connection:slow')).toBe(true);
    stop();
    await until(() => !schedulerInUse('connection:slow'), 2_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
    expect(model.count('judgement')).toBe(0);
  });
});

describe('catalog files', () => {
  beforeEach(() => {
    service = createStudioService({ userDataDir });
  });
  const parse = (text: string) => service!.api.aspects.parse(text);

  it('reads a catalog as a run would', async () => {
    const parsed = await parse(JSON.stringify(catalog));
    expect(parsed).toEqual(catalog);
  });

  it.each([
    ['not JSON', 'aspects: [', /^the catalog file is not valid JSON: /],
    ['the wrong shape', '{"aspects": "all"}', /^invalid aspect catalog the catalog file: /],
    [
      'nothing enabled',
      JSON.stringify({ ...catalog, aspects: catalog.aspects.map((a) => ({ ...a, enabled: false })) }),
      /enable at least one aspect/,
    ],
    [
      'a name twice',
      JSON.stringify({ ...catalog, aspects: [...catalog.aspects, { ...catalog.aspects[1]!, name: 'BREVITY' }] }),
      /the aspect "BREVITY" appears twice/,
    ],
    [
      '5 MB',
      `${' '.repeat(5 * 1024 * 1024)}{}`,
      /^the catalog file is 5,242,882 characters: a catalog holds at most 4,194,304$/,
    ],
  ])('refuses %s with a clear invalid-argument error', async (_, text, message) => {
    const error = await parse(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioApiError);
    expect((error as StudioApiError).code).toBe('invalid-argument');
    expect((error as Error).message).toMatch(message);
  });

  it('lets no "__proto__" key reach a prototype', async () => {
    const hostile = `{"__proto__": {"polluted": true}, "aspects": [{"name": "A", "description": "d", "enabled": true, "__proto__": {"rubric": "x"}}], "staticAspects": ["A"], "constructor": {"prototype": {"polluted": true}}}`;
    const parsed = await parse(hostile);
    expect(parsed).toEqual({ aspects: [{ name: 'A', description: 'd', enabled: true }], staticAspects: ['A'] });
    expect(Object.keys(parsed)).toEqual(['aspects', 'staticAspects']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});

describe('probes and defaults', () => {
  beforeEach(() => {
    service = createStudioService({ userDataDir });
  });
  const probe = { id: 'p1', query: QUERY, answer: ANSWER, expected: 4, aspects: ['Brevity'] };

  it('saves probes whole and reads them back; none saved is an empty list', async () => {
    const { aspects } = service!.api;
    expect(await aspects.probes()).toEqual([]);
    await aspects.saveProbes([probe]);
    expect(await aspects.probes()).toEqual([probe]);
    expect(JSON.parse(readFileSync(path.join(userDataDir, 'aspect-probes.json'), 'utf8'))).toEqual([probe]);
    await expect(aspects.saveProbes([probe, probe])).rejects.toThrow('the probe id "p1" appears twice');
  });

  it('says a damaged probes file is damaged, and keeps it aside when probes are saved over it', async () => {
    const { aspects } = service!.api;
    const file = path.join(userDataDir, 'aspect-probes.json');
    writeFileSync(file, '[{"id": "p1", "query": "q"');
    await expect(aspects.probes()).rejects.toThrow(/aspect-probes\.json is not valid JSON/);
    writeFileSync(file, '[{"id": "p1", "query": "q", "answer": "a", "expected": 9}]');
    await expect(aspects.probes()).rejects.toThrow(/aspect-probes\.json is damaged: .*expected/);
    await aspects.saveProbes([probe]);
    expect(await aspects.probes()).toEqual([probe]);
    const kept = readdirSync(userDataDir).filter((f) => f.startsWith('aspect-probes.damaged-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(userDataDir, kept[0]!), 'utf8')).toContain('"expected": 9');
  });

  it('defaults to the connections of the newest run that used saved connections', async () => {
    expect(await service!.api.aspects.tryDefaults()).toEqual({});
    await connect('sel', { picks: ['Helpfulness'] });
    await connect('jud', { picks: ['Helpfulness'] });
    const runsDir = path.join(userDataDir, 'runs');
    const folderOf = (config: object) => {
      const folder = createRunFolder(
        normalizeConfig({ ...config, runsDir, cacheDir: null }, userDataDir),
        'system-prompt',
        'the test',
      );
      folder.lock.release();
      return folder.id;
    };
    const withConnections = folderOf({
      backends: { a: { connection: 'sel' }, b: { connection: 'jud' } },
      roles: { selector: { backend: 'a' }, judge: { backend: 'b' }, base: { backend: 'a' } },
    });
    await new Promise((r) => setTimeout(r, 1_100)); // run ids and createdAt are to the second
    folderOf({ backends: { plain: { plugin: 'openai', settings: { baseURL: 'http://127.0.0.1:9/v1', model: 'm' } } } });
    expect(existsSync(runsDir)).toBe(true);
    const expected = { selector: 'sel', judge: 'jud', base: 'sel', run: withConnections };
    expect(await service!.api.aspects.tryDefaults()).toEqual(expected);
    // A newer folder whose config.json is damaged is passed over, and a run whose log is damaged
    // still names its connections: the defaults read configs, not logs.
    const damaged = path.join(runsDir, '29991231-235959-system-prompt-ffffff');
    mkdirSync(damaged);
    writeFileSync(path.join(damaged, 'config.json'), '{"stage": "system-prompt", "config": ');
    writeFileSync(path.join(path.join(runsDir, withConnections), 'events.jsonl'), 'not a log\n'.repeat(1000));
    expect(await service!.api.aspects.tryDefaults()).toEqual(expected);
  });
});

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
