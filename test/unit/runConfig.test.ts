import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeConfig, stageSampling } from '../../src/main/config/runConfig.js';
import { resourcePath } from '../../src/main/resourcePaths.js';

const minimal = { backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } } };

describe('run config', () => {
  it("fills the published code's defaults", () => {
    const c = normalizeConfig(minimal, '/work/configs');
    expect(c.search).toMatchObject({
      algorithm: 'beam',
      width: 2,
      samples: 3,
      depth: 20,
      carryOverAbove: 4.5,
      maxDepthIncrease: 10,
      historySize: 5,
      callBudget: 'unlimited',
    });
    expect(c.iclSearch).toMatchObject({ width: 1, samples: 1, depth: 5 });
    expect(c.roles.optimizer).toMatchObject({ backend: 'local', temperature: 0.2, topP: 0.95 });
    for (const role of ['base', 'selector', 'judge'] as const)
      expect(c.roles[role]).toMatchObject({ backend: 'local', temperature: 0 });
    expect(c.retrieval).toEqual({ k: 2, embedder: { kind: 'hub', model: 'sentence-transformers/all-mpnet-base-v2' } });
    expect(c.reward).toMatchObject({
      mode: 'dynamic',
      minAspects: 2,
      maxAspects: 5,
      allowNewAspects: true,
      aspects: resourcePath('aspects.json'),
    });
    expect(c.promptFormat).toBeUndefined(); // chosen by the base backend when the run opens it
    expect(c.initialPrompt).toBe('You are a helpful assistant.');
  });

  it("resolves paths against the config file's folder and defaults data to the starter set", () => {
    const c = normalizeConfig(
      { ...minimal, data: { seedQueries: ['a.json', '/abs/b.txt'] }, runsDir: 'out' },
      '/work/configs',
    );
    expect(c.data.seedQueries).toEqual(['/work/configs/a.json', '/abs/b.txt']);
    expect(c.data.iclExamples).toBe(resourcePath('icl-examples.json'));
    expect(c.runsDir).toBe(path.resolve('/work/configs/out'));
    expect(c.baseDir).toBe('/work/configs');
  });

  it("samples the ICL stage's optimizer at T 0, top-p 1 (the reference's), unless iclRoles or roles say otherwise", () => {
    const c = normalizeConfig(minimal, '/work/configs');
    expect(stageSampling(c, 'icl', 'optimizer')).toEqual({ temperature: 0, topP: 1, maxTokens: 2048, seed: undefined });
    expect(stageSampling(c, 'system-prompt', 'optimizer')).toMatchObject({ temperature: 0.2, topP: 0.95 });
    for (const role of ['base', 'selector', 'judge'] as const)
      expect(stageSampling(c, 'icl', role)).toEqual(stageSampling(c, 'system-prompt', role));

    // A temperature the user gave `roles` applies to both stages; the ICL default fills only top-p.
    const given = normalizeConfig(
      { ...minimal, roles: { optimizer: { temperature: 0.7 } }, iclRoles: { judge: { temperature: 0.1, seed: 7 } } },
      '/',
    );
    expect(stageSampling(given, 'icl', 'optimizer')).toMatchObject({ temperature: 0.7, topP: 1 });
    expect(stageSampling(given, 'system-prompt', 'optimizer')).toMatchObject({ temperature: 0.7, topP: 0.95 });
    expect(stageSampling(given, 'icl', 'judge')).toMatchObject({ temperature: 0.1, seed: 7 });
    expect(stageSampling(given, 'system-prompt', 'judge')).toMatchObject({ temperature: 0 });

    // iclRoles wins over roles, key by key; a normalized config normalizes to itself (a resumed run).
    const own = normalizeConfig(
      {
        ...minimal,
        roles: { optimizer: { topP: 0.5 } },
        iclRoles: { optimizer: { temperature: 0.3, maxTokens: 512 } },
      },
      '/',
    );
    expect(stageSampling(own, 'icl', 'optimizer')).toMatchObject({ temperature: 0.3, topP: 0.5, maxTokens: 512 });
    expect(stageSampling(own, 'system-prompt', 'optimizer')).toMatchObject({
      temperature: 0.2,
      topP: 0.5,
      maxTokens: 2048,
    });
    const again = normalizeConfig(JSON.parse(JSON.stringify(own)), '/');
    expect(stageSampling(again, 'icl', 'optimizer')).toEqual(stageSampling(own, 'icl', 'optimizer'));
  });

  it('names what is wrong', () => {
    expect(() => normalizeConfig({ backends: {} }, '/')).toThrow(/define at least one backend/);
    expect(() => normalizeConfig({ ...minimal, roles: { judge: { backend: 'cloud' } } }, '/')).toThrow(
      /roles.judge.backend "cloud" is not one of: local/,
    );
    expect(() => normalizeConfig({ ...minimal, search: { width: 0 } }, '/')).toThrow(/search.width/);
  });
});
