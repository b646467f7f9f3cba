// Names from a request or a file never resolve through the object prototype ('__proto__',
// 'toString', 'constructor' are names like any other, or refused where they cannot be one), and
// dot-only ids never become a path: method names, connection, backend, dataset, run and key names.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { itemPath } from '../../src/main/api/folderItems.js';
import { createStudioService } from '../../src/main/api/studioService.js';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { categoryStats } from '../../src/main/experiments/aggregate.js';
import { CallLedger } from '../../src/main/llm/callLedger.js';
import { PluginRegistry } from '../../src/main/plugins/pluginRegistry.js';
import { serveMethods } from '../../src/main/transports/apiDispatch.js';
import { checkArguments } from '../../src/shared/apiSchemas.js';
import type { JudgmentRecord } from '../../src/shared/experimentTypes.js';
import { checkSafeName, isSafeName } from '../../src/shared/safeName.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';

const PROTOTYPE_NAMES = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'];
const dir = mkdtempSync(path.join(tmpdir(), 'drpo-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('names and ids', () => {
  it('that become a path are never dots alone, nor a path', () => {
    for (const name of ['.', '..', '...', '../x', 'a/b', 'a\\b', '', 'x'.repeat(129), 'a\0b', 'é'])
      expect(isSafeName(name), JSON.stringify(name)).toBe(false);
    for (const name of ['run-1', '20260101-120000-icl-abc123', 'my.dataset', '.hidden', 'a..b', '__proto__'])
      expect(isSafeName(name), name).toBe(true);
    expect(thrown(() => checkSafeName('..', 'run id'))).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^a run id is letters, digits.*not dots alone \(got "\.\."\)$/),
    });
    for (const [method, args] of [
      ['runs.get', ['..']],
      ['runs.resume', ['.']],
      ['experiments.get', ['...']],
      ['runs.subscribe', ['..', 0]],
      ['datasets.get', ['..']],
      ['datasets.remove', ['../settings']],
      ['datasets.save', [{ name: '..', kind: 'seed-queries', items: [] }]],
      ['retrieval.preview', ['..', 'q', 2]],
    ] as const)
      expect(
        thrown(() => checkArguments(method, [...args])),
        method,
      ).toBeInstanceOf(StudioApiError);
  });

  it("lead to no folder outside the managers' own, even where the folder exists", () => {
    const runs = path.join(dir, 'user', 'runs');
    mkdirSync(runs, { recursive: true });
    writeFileSync(path.join(dir, 'user', 'config.json'), '{}'); // a config.json one level up
    for (const id of ['..', '.', '...'])
      expect(
        thrown(() => itemPath(runs, id, 'run')),
        id,
      ).toMatchObject({ code: 'invalid-argument' });
  });

  it('that are record keys: __proto__ is refused, toString and constructor are plain names', () => {
    for (const method of ['connections.save', 'connections.remove', 'connections.test', 'secrets.remove'] as const) {
      const args = method === 'connections.save' ? ['__proto__', { plugin: 'openai', settings: {} }] : ['__proto__'];
      expect(
        thrown(() => checkArguments(method, args)),
        method,
      ).toMatchObject({
        code: 'invalid-argument',
        message: expect.stringContaining('expected a name other than "__proto__"'),
      });
    }
    expect(() => checkArguments('connections.save', ['toString', { plugin: 'openai', settings: {} }])).not.toThrow();
  });
});

describe('lookups by name', () => {
  it('find no API method through the prototype', () => {
    const served = serveMethods(createStudioService({ userDataDir: path.join(dir, 'dispatch') }).api);
    for (const name of PROTOTYPE_NAMES) {
      expect(served.get(`runs.${name}` as never), name).toBeUndefined();
      expect(served.get(`${name}.list` as never), name).toBeUndefined();
    }
  });

  it('find no saved connection through the prototype; one named toString is a connection like any other', async () => {
    const service = createStudioService({ userDataDir: path.join(dir, 'connections') });
    const { api } = service;
    for (const name of ['toString', 'constructor', 'hasOwnProperty'])
      expect(await api.connections.test(name), name).toEqual({
        ok: false,
        error: expect.stringContaining(`no saved connection "${name}"`),
      });
    await api.connections.save('toString', {
      plugin: 'openai',
      settings: { baseURL: 'http://127.0.0.1:9', model: 'm' },
    });
    expect(Object.keys(await api.connections.list())).toEqual(['toString']);
    await api.connections.remove('toString');
    expect(await api.connections.list()).toEqual({});
    await service.close();
  });

  it('find no dataset through the prototype; one named toString or __proto__ is a dataset like any other', async () => {
    const service = createStudioService({ userDataDir: path.join(dir, 'datasets') });
    const { api } = service;
    for (const name of ['toString', 'constructor'])
      await expect(api.datasets.get(name), name).rejects.toMatchObject({ code: 'not-found' });
    for (const name of ['toString', '__proto__']) {
      await api.datasets.save({ name, kind: 'seed-queries', items: [{ query: `a query of ${name}` }] });
      expect((await api.datasets.get(name)).items, name).toEqual([{ query: `a query of ${name}` }]);
    }
    expect((await api.datasets.list()).map((d) => d.name)).toEqual(['__proto__', 'toString']);
    await service.close();
  });

  it('find no backend through the prototype in a run config', () => {
    const backends = { local: { plugin: 'openai' } };
    for (const name of PROTOTYPE_NAMES) {
      const role = thrown(() => normalizeConfig({ backends, roles: { base: { backend: name } } }, dir));
      expect(role, name).toMatchObject({
        code: 'invalid-argument',
        message: expect.stringContaining('roles.base.backend'),
      });
      const embedder = thrown(() =>
        normalizeConfig({ backends, retrieval: { embedder: { kind: 'backend', backend: name } } }, dir),
      );
      expect(embedder, name).toMatchObject({ message: expect.stringContaining('retrieval.embedder.backend') });
    }
    // A backend may be called constructor: it is its own key.
    const config = normalizeConfig({ backends: { constructor: { plugin: 'openai' } } }, dir);
    expect(config.roles.judge.backend).toBe('constructor');
  });

  it('count calls of a backend named constructor on that backend, touching no prototype', () => {
    const ledger = new CallLedger();
    const usage = { promptTokens: 3, completionTokens: 4 };
    // ('__proto__' never names a backend: a config's backends are a parsed JSON record, which drops it.)
    for (const backend of ['constructor', 'toString'])
      ledger.recordCall('base', backend, { requests: 1, samples: 1, usage, retries: 0 });
    expect(Object.hasOwn(ledger.backends, 'constructor')).toBe(true);
    expect(ledger.backends.constructor).toMatchObject({ calls: 1, promptTokens: 3 });
    expect((Object as unknown as Record<string, unknown>).calls).toBeUndefined();
    expect(({} as Record<string, unknown>).calls).toBeUndefined();
  });

  it('find no built-in plugin through the prototype', async () => {
    const registry = new PluginRegistry({ userPluginsDir: path.join(dir, 'no-plugins'), enabled: [] });
    for (const id of ['constructor', 'toString', '__proto__'])
      await expect(registry.load(id), id).rejects.toThrow(`no backend plugin "${id}"`);
  });

  it("group an evaluation set's categories named like prototype members as categories", () => {
    const record = (source: string, score: number) =>
      ({
        id: source,
        split: 'regular',
        tags: { source: [source], constructor: ['x'] },
        scores: { helpfulness: score },
      }) as unknown as JudgmentRecord;
    const stats = categoryStats([record('__proto__', 4), record('toString', 2), record('toString', 4)]);
    expect(stats.source).toEqual(JSON.parse('{"__proto__": {"mean": 4, "n": 1}, "toString": {"mean": 3, "n": 2}}'));
    expect(Object.hasOwn(stats.source!, '__proto__')).toBe(true);
    expect(stats.constructor).toEqual({ x: { mean: 10 / 3, n: 3 } });
    expect((Object as unknown as Record<string, unknown>).x).toBeUndefined();
  });
});
