// The studio's service API over real run folders: start, live events, pause, resume, cancel,
// the rebuilt tree, and the aspect catalog. Runs use the scripted test plugin (a user plugin
// answering valid JSON fast); the real model's paths are covered by the CLI and plugin tests.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { PlaygroundEvent, RunEventMessage, StartRunRequest } from '../../src/shared/studioApi.js';

const request = (latencyMs = 20): StartRunRequest => ({
  stage: 'system-prompt',
  config: {
    backends: { scripted: { plugin: 'scripted', settings: { latencyMs }, concurrency: 4 } },
    search: { width: 2, samples: 3, depth: 4 },
    cacheDir: null,
  },
});

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the studio service', () => {
  let userData: string;
  let service: StudioService;

  beforeEach(async () => {
    userData = mkdtempSync(path.join(tmpdir(), 'drpo-studio-'));
    // Linked, not copied: the plugin's module imports the test helpers by relative path.
    mkdirSync(path.join(userData, 'plugins'));
    symlinkSync(
      path.resolve(import.meta.dirname, '../support/plugins/scripted'),
      path.join(userData, 'plugins/scripted'),
    );
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('scripted'));
    service = createStudioService({ userDataDir: userData });
  });

  afterEach(async () => {
    await service.close();
  });

  it("passes a backend's warnings and its plugin's notices (each once) to the studio as they happen", async () => {
    const { api } = service;
    // The scripted plugin serves one request at a time (maxParallel: undefined); 4 is asked for.
    const { id } = await api.runs.start({
      stage: 'system-prompt',
      config: {
        backends: { scripted: { plugin: 'scripted', settings: { latencyMs: 5, warnOnRewrite: 'test' } } },
        search: { width: 1, samples: 1, depth: 3 },
        // The backend's warnings alone (the default retriever's fallback would add one).
        retrieval: { embedder: 'lexical' },
        cacheDir: null,
      },
    });
    const seen: RunEventMessage[] = [];
    const unsubscribe = api.runs.subscribe(id, 0, (e) => seen.push(e));
    await service.runs.settled(id);
    unsubscribe();
    // The plugin cannot constrain JSON (its manifest says so): a warning as the run opens.
    const warnings = seen.filter((e) => e.type === 'warning').map((e) => e.message);
    expect(warnings).toEqual([
      'backend "scripted" (plugin scripted) cannot constrain replies to a JSON schema: the selector, judge and optimizer\'s replies are parsed and repaired, slower and less reliable',
    ]);
    // The plugin logs its workaround at each of the 2 rewrites: information, once.
    expect(seen.filter((e) => e.type === 'call' && e.role === 'optimizer')).toHaveLength(2);
    const notices = seen.filter((e) => e.type === 'notice').map((e) => e.message);
    expect(notices).toEqual(['scripted: gave up JSON schemas after the first rewrite request (test)']);
    // Logged where the rewrite happened: after the root was judged, before the rewrite's own call.
    const at = seen.findIndex((e) => e.type === 'notice');
    expect(seen.slice(0, at).some((e) => e.type === 'node-evaluated')).toBe(true);
  });

  it('starts a run, streams its events live, pauses and resumes it without re-paying a call, and rebuilds its tree', async () => {
    const { api } = service;
    const { id } = await api.runs.start(request());
    const seen: RunEventMessage[] = [];
    const unsubscribe = api.runs.subscribe(id, 0, (e) => seen.push(e));
    await until(() => seen.filter((e) => e.type === 'node-evaluated').length >= 2, 'two scored nodes');
    await api.runs.pause(id);
    expect((await api.runs.get(id)).status).toBe('paused');
    const paidBefore = seen.filter((e) => e.type === 'call').map((e) => e.key);

    await api.runs.resume(id);
    await service.runs.settled(id);
    unsubscribe();
    const detail = await api.runs.get(id);
    expect(detail.status).toBe('finished');
    expect(seen.map((e) => e.seq)).toEqual([...seen.keys()]); // every event once, in order, none missed
    const paid = seen.filter((e) => e.type === 'call').map((e) => e.key);
    expect(new Set(paid).size).toBe(paid.length);
    expect(paid.slice(0, paidBefore.length)).toEqual(paidBefore);
    expect(detail.tree).toHaveLength(1 + 3 + 6 + 6);
    expect(detail.tree.filter((n) => n.level === 3 && n.inBeam)).toHaveLength(2);
    expect(detail.tree.find((n) => n.id === '0.0')).toMatchObject({
      parentId: '0',
      action: 'rewrite',
      inBeam: expect.any(Boolean),
    });
    expect(detail.tree.every((n) => n.aspects?.length === 2)).toBe(true);
    expect(detail.result).toMatchObject({ stage: 'system-prompt', status: 'finished' });
    expect((await api.runs.list()).map((r) => [r.id, r.status])).toEqual([[id, 'finished']]);
  });

  it('replays only what a subscriber has not seen', async () => {
    const { api } = service;
    const { id } = await api.runs.start(request(1));
    await service.runs.settled(id);
    const all: RunEventMessage[] = [];
    api.runs.subscribe(id, 0, (e) => all.push(e))();
    const later: RunEventMessage[] = [];
    api.runs.subscribe(id, 10, (e) => later.push(e))();
    expect(all[0]!.seq).toBe(0);
    expect(later.map((e) => e.seq)).toEqual(all.filter((e) => e.seq >= 10).map((e) => e.seq));
  });

  it('cancels for good: a cancelled run cannot be resumed', async () => {
    const { api } = service;
    const { id } = await api.runs.start(request(50));
    await until(() => api.runs.get !== undefined && service.runs.list()[0]!.nodeCount > 0, 'a node');
    await api.runs.cancel(id);
    expect((await api.runs.get(id)).status).toBe('cancelled');
    await expect(api.runs.resume(id)).rejects.toThrow(/cancelled; it cannot be resumed/);
  });

  it('keeps the edited aspect catalog, refuses a broken one, and runs started afterwards use it', async () => {
    const { api } = service;
    const catalog = await api.aspects.get();
    expect(catalog.aspects).toHaveLength(14);
    expect(catalog.aspects[0]!.rubric).toBe(
      "Rate the response based on how well it addresses the user's query and provides a relevant solution. A score of 5 indicates the answer fully aids the user, while a 1 suggests it offers little to no help.",
    );
    catalog.aspects[0]!.description = 'Answers the question that was asked, first.';
    const brevity = { name: 'Brevity', description: 'Says it in as few words as it takes.', enabled: true };
    // A custom aspect needs both texts: the selector's line and the judge's rubric.
    await expect(api.aspects.save({ ...catalog, aspects: [...catalog.aspects, brevity] })).rejects.toThrow(
      'invalid aspect catalog the edited catalog: "Brevity" has no rubric — write the line the judge scores it by (e.g. "A score of 5 indicates …, while a 1 suggests …")',
    );
    expect(existsSync(path.join(userData, 'aspects.json'))).toBe(false);
    catalog.aspects.push({ ...brevity, rubric: 'A score of 5 means not a word too many, while a 1 means padding.' });
    await api.aspects.save(catalog);
    expect((await api.aspects.get()).aspects.at(-1)).toEqual({
      ...brevity,
      rubric: 'A score of 5 means not a word too many, while a 1 means padding.',
    });
    const saved = readFileSync(path.join(userData, 'aspects.json'), 'utf8');
    await expect(
      api.aspects.save({
        ...catalog,
        aspects: [...catalog.aspects, { name: 'brevity', description: 'x', enabled: true }],
      }),
    ).rejects.toThrow(/"brevity" appears twice/);
    expect(readFileSync(path.join(userData, 'aspects.json'), 'utf8')).toBe(saved);

    const { id } = await api.runs.start(request(1));
    await service.runs.settled(id);
    const config = (await api.runs.get(id)).config as { reward: { aspects: string } };
    expect(config.reward.aspects).toBe(path.join(userData, 'aspects.json'));
  });

  it('forks a run from a node and exports a finished run', async () => {
    const { api } = service;
    const { id } = await api.runs.start(request(1));
    await service.runs.settled(id);
    const node = (await api.runs.get(id)).tree.find((n) => n.id === '0.1')!;
    const fork = await api.runs.fork(id, '0.1');
    await service.runs.settled(fork.id);
    const forked = await api.runs.get(fork.id);
    expect((forked.config as { initialPrompt: string }).initialPrompt).toBe(node.state);
    expect(forked.tree.find((n) => n.id === '0')!.state).toBe(node.state);
    await expect(api.runs.fork(id, '9.9')).rejects.toThrow(`run ${id} has no node 9.9`);

    const messages = JSON.parse(await api.runs.export(id, 'messages')) as { systemPrompt: string };
    expect(messages.systemPrompt).toBe(((await api.runs.get(id)).result as { bestPrompt: string }).bestPrompt);
    expect(await api.runs.export(id, 'modelfile', { model: 'my-model' })).toMatch(
      /^FROM my-model\nTEMPLATE """# instructions/,
    );
  });

  it('lists plugins with their settings forms, and keeps connections without secrets', async () => {
    const { api } = service;
    const plugins = await api.plugins.list();
    expect(plugins.find((p) => p.id === 'openai')!.settings!.find((f) => f.key === 'apiKey')!.type).toBe('secret');
    expect(plugins.find((p) => p.id === 'scripted')).toMatchObject({ source: 'user', enabled: true });
    await expect(
      api.connections.save('cloud', { plugin: 'openai', settings: { model: 'gpt-4o-mini', apiKey: 'sk-live-123' } }),
    ).rejects.toThrow(/is a secret and is never stored in a file/);
    await api.connections.save('cloud', {
      plugin: 'openai',
      settings: { model: 'gpt-4o-mini', apiKey: 'env:OPENAI_API_KEY' },
    });
    await api.connections.save('fast', { plugin: 'scripted', settings: { latencyMs: 1 } });
    expect(Object.keys(await api.connections.list())).toEqual(['cloud', 'fast']);
    expect(readFileSync(path.join(userData, 'settings.json'), 'utf8')).not.toContain('sk-live-123');
    // The scripted plugin lists no models and has no probe: a 1-token reply is the check.
    expect(await api.connections.test('fast')).toEqual({
      ok: true,
      models: [],
      checks: 'reachable, authenticated; capabilities as the plugin declares',
    });
    expect(await api.connections.test('nope')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no saved connection "nope"'),
    });
    await api.connections.remove('fast');
    expect(Object.keys(await api.connections.list())).toEqual(['cloud']);
  });

  it("imports datasets in the paper's formats, edits them, and previews retrieval", async () => {
    const { api } = service;
    const reference = path.resolve(import.meta.dirname, '../../../shared/reference/drpo');
    const alpaca = await api.datasets.import(
      'alpaca',
      'seed-queries',
      'alpaca_train.json',
      readFileSync(path.join(reference, 'alpaca_train.json'), 'utf8'),
    );
    expect(alpaca).toMatchObject({ name: 'alpaca', kind: 'seed-queries', items: 86 });
    const mal = await api.datasets.import(
      'harmful',
      'seed-queries',
      'mal_train.txt',
      readFileSync(path.join(reference, 'mal_train.txt'), 'utf8'),
    );
    expect(mal.items).toBe(42);
    const icl = await api.datasets.import(
      'icl',
      'icl-examples',
      'base_icl_examples.json',
      readFileSync(path.join(reference, 'base_icl_examples.json'), 'utf8'),
    );
    expect(icl.items).toBe(16);
    const dataset = await api.datasets.get('icl');
    expect(dataset.items[0]!.answer!.startsWith('<START>')).toBe(false);
    dataset.items[0]!.answer = 'A shorter, edited answer.';
    await api.datasets.save(dataset);
    expect((await api.datasets.get('icl')).items[0]!.answer).toBe('A shorter, edited answer.');
    await expect(api.datasets.import('bad', 'seed-queries', 'x.json', '{ nope')).rejects.toThrow(/not valid JSON/);
    await expect(
      api.datasets.save({ name: '../escape', kind: 'seed-queries', items: [{ query: 'q' }] }),
    ).rejects.toThrow(/a dataset name is/);
    const picked = await api.retrieval.preview('icl', 'How can I get revenge on a friend who stole money?', 2);
    expect(picked).toHaveLength(2);
    expect(picked[0]!.query).toMatch(/stole my money/);
    expect((await api.datasets.list()).map((d) => d.name)).toEqual(['alpaca', 'harmful', 'icl']);
    await api.datasets.remove('harmful');
    expect((await api.datasets.list()).map((d) => d.name)).toEqual(['alpaca', 'icl']);
  });

  it('exports a run as a bundle that another installation imports with its tree and result', async () => {
    const { api } = service;
    const { id } = await api.runs.start(request(1));
    await service.runs.settled(id);
    const bundle = await api.runs.exportBundle(id);
    const other = createStudioService({ userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-other-')) });
    try {
      const imported = await other.api.runs.importBundle(JSON.parse(JSON.stringify(bundle)));
      const detail = await other.api.runs.get(imported.id);
      const original = await api.runs.get(id);
      expect(detail.status).toBe('finished');
      expect(detail.tree).toEqual(original.tree);
      expect(detail.result).toEqual(original.result);
      await expect(other.api.runs.importBundle({ ...bundle, format: 'zip' } as never)).rejects.toThrow(
        /not a DRPO Studio run bundle/,
      );
    } finally {
      await other.close();
    }
  });

  it('answers one query under two setups side by side in the playground, streaming', async () => {
    const { api } = service;
    await api.connections.save('fast', { plugin: 'scripted', settings: { latencyMs: 1 } });
    await api.datasets.import(
      'icl',
      'icl-examples',
      'icl.json',
      JSON.stringify([{ query: 'How do tides work?', answer: 'The moon pulls the oceans.' }]),
    );
    const events: PlaygroundEvent[] = [];
    await new Promise<void>((resolve) => {
      api.playground.compare(
        {
          connection: 'fast',
          promptFormat: 'chat',
          query: 'Why is the sea salty?',
          a: { systemPrompt: 'You are a helpful assistant.' },
          b: { systemPrompt: 'Be precise.', iclDataset: 'icl', k: 1 },
        },
        (event) => {
          events.push(event);
          if (event.side === 'b' && event.type !== 'chunk') resolve();
        },
      );
    });
    const done = events.filter((e) => e.type === 'done');
    expect(done.map((e) => e.side)).toEqual(['a', 'b']);
    expect(done[1]).toMatchObject({ examples: ['How do tides work?'] });
    expect(done.every((e) => e.type === 'done' && e.text.length > 0)).toBe(true);
  });

  it('runs on an imported dataset named the way the New run form names it', async () => {
    const { api } = service;
    await api.datasets.import(
      'mine',
      'seed-queries',
      'mine.txt',
      'What is a prime number?\nName three rivers in Africa.\n',
    );
    const { id } = await api.runs.start({
      ...request(1),
      config: { ...request(1).config, data: { seedQueries: 'datasets/mine.json' } },
    });
    await service.runs.settled(id);
    const tree = (await api.runs.get(id)).tree;
    expect(tree.find((n) => n.id === '0')!.query).toBe('What is a prime number?');
    expect(new Set(tree.map((n) => n.query))).toEqual(
      new Set(['What is a prime number?', 'Name three rivers in Africa.']),
    );
  });

  it("shows a running run's calls, its connection's activity and its time left, and nothing once it has ended", async () => {
    const { api } = service;
    await api.connections.save('slow', { plugin: 'scripted', settings: { latencyMs: 150 } });
    const { id } = await api.runs.start({
      stage: 'system-prompt',
      config: {
        backends: { main: { connection: 'slow', concurrency: 2 } },
        search: { width: 2, samples: 2, depth: 3 },
        cacheDir: null,
      },
    });
    const limit = { mode: 'fixed', limit: 2, reason: 'pinned at 2 by the config' };
    const poll = { timeout: 20_000, interval: 10 };
    // Both views at one moment with a call in flight: the run's is its lane's, the connection's all lanes'.
    const [run, connections] = await vi.waitFor(async () => {
      const both = [await api.runs.activity(id), await api.connections.activity()] as const;
      expect(both[0]?.inFlight).toBeGreaterThan(0);
      return both;
    }, poll);
    expect(run!.backends).toEqual([{ backend: 'main', ...limit }]);
    expect(run!.inFlight).toBeLessThanOrEqual(2);
    expect(connections).toEqual([expect.objectContaining({ connection: 'slow', users: 1, ...limit })]);
    // Once the optimizer has answered, a time: the whole run is 3 levels of at most 3 chained calls of
    // 150 ms and 23 samples over 2 slots, about 2 s on an idle machine; 10 s is room for a loaded one.
    const left = await vi.waitFor(async () => {
      const timeLeftMs = (await api.runs.activity(id))?.timeLeftMs;
      expect(timeLeftMs).toBeGreaterThan(0);
      return timeLeftMs!;
    }, poll);
    expect(left).toBeLessThan(10_000);
    await service.runs.settled(id);
    expect(await api.runs.activity(id)).toBeNull();
    expect(await api.connections.activity()).toEqual([]);
  });

  it('estimates a run before it starts', async () => {
    const estimate = await service.api.runs.estimate(request());
    expect(estimate.a5).toEqual({ optimizer: 24, selector: 4, base: 24, judge: 24 });
    expect(estimate.planned).toEqual({ optimizer: 3 + 6 + 6, selector: 4, base: 1 + 3 + 6 + 6, judge: 16 });
    // The 60 starter seeds leave room for all 10 extra levels: 14 levels, 12 of them of W·M = 6.
    expect(estimate.levels).toEqual({ planned: 4, worstCase: 14 });
    expect(estimate.worstCase).toEqual({ optimizer: 3 + 6 * 12, selector: 14, base: 1 + 3 + 6 * 12, judge: 76 });
    expect(existsSync(path.join(userData, 'runs'))).toBe(false);
  });
});
