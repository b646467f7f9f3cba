// Where a run's `reward.selections` comes from: the config (a path relative to its folder) or the
// studio's New run form (a path typed in, relative to the studio's data folder).
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { buildRunConfig, defaultValues } from '../../src/renderer/src/screens/runs/newRunConfig.js';

const minimal = { backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } } };

describe('reward.selections in a run config', () => {
  it("is resolved against the config's folder; absent, nothing is imported", () => {
    const c = normalizeConfig({ ...minimal, reward: { selections: 'reference/metrics_cache.json' } }, '/work/configs');
    expect(c.reward.selections).toBe('/work/configs/reference/metrics_cache.json');
    expect(normalizeConfig(minimal, '/work/configs').reward.selections).toBeUndefined();
  });

  it('defaults to the ICL critic with 3–6 aspects, and refuses a range that cannot be met', () => {
    expect(normalizeConfig(minimal, '/w').reward).toMatchObject({
      iclJudge: 'critic',
      iclMinAspects: 3,
      iclMaxAspects: 6,
    });
    expect(() => normalizeConfig({ ...minimal, reward: { iclMinAspects: 5, iclMaxAspects: 4 } }, '/w')).toThrow(
      'invalid config: reward.iclMinAspects exceeds reward.iclMaxAspects',
    );
  });

  it('comes from the New run form as typed (trimmed); an empty field imports nothing', () => {
    const values = { ...defaultValues(), connection: 'local' };
    expect(buildRunConfig({ ...values, selections: '  /data/drpo/metrics_cache.json ' }).reward).toEqual({
      selections: '/data/drpo/metrics_cache.json',
    });
    expect(buildRunConfig(values).reward).toBeUndefined();
  });
});
