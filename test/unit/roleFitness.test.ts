// Whether each role's backend can serve it: refused when it cannot take the role's input, warned
// about when it cannot constrain the role's JSON.
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import type { BackendDescription } from '../../src/main/runs/openBackends.js';
import { judgeRoleFitness } from '../../src/main/runs/roleFitness.js';
import type { Capabilities } from '../../src/plugins/contract.js';

const caps = (patch: Partial<Capabilities>): Capabilities => ({
  chat: true,
  completion: true,
  multipleSamples: false,
  jsonSchema: true,
  seed: true,
  embeddings: false,
  listModels: false,
  ...patch,
});

const backend = (name: string, pluginId: string, capabilities: Capabilities, extra = {}): BackendDescription => ({
  name,
  pluginId,
  capabilities,
  profileKey: `${pluginId}:k`,
  ...extra,
});

const config = (roles: Record<string, string>, extra: Record<string, unknown> = {}) =>
  normalizeConfig(
    {
      backends: { raw: { plugin: 'llama-server' }, cloud: { plugin: 'openai' } },
      roles: Object.fromEntries(Object.entries(roles).map(([role, b]) => [role, { backend: b }])),
      cacheDir: null,
      ...extra,
    },
    '/tmp',
  );

describe('role fitness', () => {
  it('refuses a completion-only backend for the judge, naming the role, the backend and what to do', () => {
    const c = config({ base: 'raw', selector: 'cloud', judge: 'raw', optimizer: 'cloud' });
    const fit = judgeRoleFitness(c, 'system-prompt', [
      backend('raw', 'llama-server', caps({ chat: false })),
      backend('cloud', 'openai', caps({})),
    ]);
    expect(fit.refusals).toEqual([
      'backend "raw" (plugin llama-server) only does raw completion: the judge needs chat; use a chat-capable backend for the judge (roles.judge.backend)',
    ]);
    expect(fit.warnings).toEqual([]);
  });

  it('lets a completion-only backend serve the base model in a completion prompt format, not in a chat one', () => {
    const roles = { base: 'raw', selector: 'cloud', judge: 'cloud', optimizer: 'cloud' };
    const backends = [backend('raw', 'llama-server', caps({ chat: false })), backend('cloud', 'openai', caps({}))];
    expect(judgeRoleFitness(config(roles), 'system-prompt', backends).refusals).toEqual([]);
    expect(judgeRoleFitness(config(roles, { promptFormat: 'chat' }), 'system-prompt', backends).refusals).toEqual([
      'backend "raw" (plugin llama-server) only does raw completion: the base needs chat; use a chat-capable backend for the base (roles.base.backend), or a completion prompt format (promptFormat "drpo")',
    ]);
  });

  it("serves the base model on a chat-only backend through the reference's chat path when no format is given", () => {
    const roles = { base: 'cloud', selector: 'cloud', judge: 'cloud', optimizer: 'cloud' };
    const backends = [backend('cloud', 'openai', caps({ completion: false }))];
    expect(judgeRoleFitness(config(roles), 'system-prompt', backends).refusals).toEqual([]);
    expect(judgeRoleFitness(config(roles, { promptFormat: 'drpo-chat' }), 'system-prompt', backends).refusals).toEqual(
      [],
    );
    expect(judgeRoleFitness(config(roles, { promptFormat: 'drpo' }), 'system-prompt', backends).refusals).toEqual([
      'backend "cloud" (plugin openai) only does chat: the base model\'s prompt format "drpo" is a raw completion; use promptFormat "drpo-chat" (the reference\'s chat path, chosen when promptFormat is left out), or a completion-capable backend for the base role',
    ]);
    // drpo-chat sends messages: a completion-only backend cannot take it.
    const raw = [backend('cloud', 'llama-server', caps({ chat: false }))];
    expect(
      judgeRoleFitness(
        config({ base: 'cloud', selector: 'cloud', judge: 'cloud', optimizer: 'cloud' }, { promptFormat: 'drpo-chat' }),
        'system-prompt',
        raw,
      ).refusals[0],
    ).toMatch(/the base, selector, judge and optimizer need chat/);
  });

  it('warns when the JSON roles cannot be constrained: no capability, or a probe that found none working', () => {
    const roles = { base: 'raw', selector: 'cloud', judge: 'cloud', optimizer: 'raw' };
    const noSchema = judgeRoleFitness(config(roles), 'system-prompt', [
      backend('raw', 'llama-server', caps({})),
      backend('cloud', 'openai', caps({ jsonSchema: false })),
    ]);
    expect(noSchema.refusals).toEqual([]);
    expect(noSchema.warnings).toEqual([
      'backend "cloud" (plugin openai) cannot constrain replies to a JSON schema: the selector and judge\'s replies are parsed and repaired, slower and less reliable',
    ]);
    const probedNone = judgeRoleFitness(config(roles), 'system-prompt', [
      backend('raw', 'llama-server', caps({})),
      backend('cloud', 'openai', caps({}), {
        profile: { probedAt: 0, json: { chat: null }, requests: 4, summary: 'JSON on chat: none' },
      }),
    ]);
    expect(probedNone.warnings).toEqual([
      'backend "cloud" (plugin openai) cannot constrain replies to a JSON schema (its server followed none in the probe): the selector and judge\'s replies are parsed and repaired, slower and less reliable',
    ]);
    const probedOne = judgeRoleFitness(config(roles), 'system-prompt', [
      backend('raw', 'llama-server', caps({})),
      backend('cloud', 'openai', caps({}), {
        profile: { probedAt: 0, json: { chat: 'guided_json' }, requests: 4, summary: 'JSON on chat: guided_json' },
      }),
    ]);
    expect(probedOne.warnings).toEqual([]);
  });

  it('asks nothing of roles a stage does not call: no base in the ICL stage, no selector with static rewards', () => {
    const roles = { base: 'raw', selector: 'raw', judge: 'cloud', optimizer: 'cloud' };
    const backends = [backend('raw', 'llama-server', caps({ chat: false })), backend('cloud', 'openai', caps({}))];
    expect(judgeRoleFitness(config(roles), 'icl', backends).refusals).toHaveLength(1); // the selector still
    const staticRewards = config(roles, { reward: { mode: 'static' } });
    expect(judgeRoleFitness(staticRewards, 'icl', backends).refusals).toEqual([]);
  });
});
