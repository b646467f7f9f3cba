// The studio's service API over real run folders: start, live events, pause, resume, cancel,
// the rebuilt tree, and the aspect catalogue. Runs use the scripted test plugin (a user plugin
// answering valid JSON fast); the real model's paths are covered by the CLI and plugin tests.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { RunEventMessage, StartRunRequest } from '../../src/shared/studioApi.js';

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
    symlinkSync(path.resolve(import.meta.dirname, '../support/plugins/scripted'), path.join(userData, 'plugins/scripted'));
    const store = await SettingsStore.open(userData);
    await store.update((s) => void s.enabledPlugins.push('scripted'));
    service = createStudioService({ userDataDir: userData });
  });

  afterEach(async () => {
    await service.close();
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
    expect(detail.tree.find((n) => n.id === '0.0')).toMatchObject({ parentId: '0', action: 'rewrite', inBeam: expect.any(Boolean) });
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

  it('keeps the edited aspect catalogue, refuses a broken one, and runs started afterwards use it', async () => {
    const { api } = service;
    const catalogue = await api.aspects.get();
    expect(catalogue.aspects).toHaveLength(14);
    catalogue.aspects[0]!.description = 'Answers the question that was asked, first.';
    catalogue.aspects.push({ name: 'Brevity', description: 'Says it in as few words as it takes.', enabled: true });
    await api.aspects.save(catalogue);
    expect((await api.aspects.get()).aspects.at(-1)!.name).toBe('Brevity');
    const saved = readFileSync(path.join(userData, 'aspects.json'), 'utf8');
    await expect(api.aspects.save({ ...catalogue, aspects: [...catalogue.aspects, { name: 'brevity', description: 'x', enabled: true }] })).rejects.toThrow(/"brevity" appears twice/);
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
    expect(await api.runs.export(id, 'modelfile', { model: 'my-model' })).toMatch(/^FROM my-model\nTEMPLATE """# instructions/);
  });

  it('lists plugins with their settings forms, and keeps connections without secrets', async () => {
    const { api } = service;
    const plugins = await api.plugins.list();
    expect(plugins.find((p) => p.id === 'openai')!.settings!.find((f) => f.key === 'apiKey')!.type).toBe('secret');
    expect(plugins.find((p) => p.id === 'scripted')).toMatchObject({ source: 'user', enabled: true });
    await expect(api.connections.save('cloud', { plugin: 'openai', settings: { model: 'gpt-4o-mini', apiKey: 'sk-live-123' } })).rejects.toThrow(/is a secret and is never stored in a file/);
    await api.connections.save('cloud', { plugin: 'openai', settings: { model: 'gpt-4o-mini', apiKey: 'env:OPENAI_API_KEY' } });
    await api.connections.save('fast', { plugin: 'scripted', settings: { latencyMs: 1 } });
    expect(Object.keys(await api.connections.list())).toEqual(['cloud', 'fast']);
    expect(readFileSync(path.join(userData, 'settings.json'), 'utf8')).not.toContain('sk-live-123');
    expect(await api.connections.test('fast')).toEqual({ ok: true, models: [] });
    expect(await api.connections.test('nope')).toMatchObject({ ok: false, error: expect.stringContaining('no saved connection "nope"') });
    await api.connections.remove('fast');
    expect(Object.keys(await api.connections.list())).toEqual(['cloud']);
  });

  it('estimates a run before it starts', async () => {
    const estimate = await service.api.runs.estimate(request());
    expect(estimate.a5).toEqual({ optimizer: 24, selector: 4, base: 24, judge: 24 });
    expect(existsSync(path.join(userData, 'runs'))).toBe(false);
  });
});
