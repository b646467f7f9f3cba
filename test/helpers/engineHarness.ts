// Wires the real model layer (RoleClient, BackendScheduler, CallCache, CallLedger) and the real
// reward to a scripted model, for exact tests of the engine.

import { loadAspectCatalog } from '../../src/main/engine/aspects.js';
import { DynamicReward } from '../../src/main/engine/rewards/dynamicReward.js';
import { BackendScheduler } from '../../src/main/llm/backendScheduler.js';
import { CallCache } from '../../src/main/llm/callCache.js';
import { CallLedger, type Role } from '../../src/main/llm/callLedger.js';
import { RoleClient } from '../../src/main/llm/roleClient.js';
import type { RunEvent } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';

export function engineHarness(
  model: ModelClient,
  options: { mode?: 'dynamic' | 'static'; concurrency?: number; cache?: CallCache } = {},
) {
  const ledger = new CallLedger();
  const cache = options.cache ?? new CallCache();
  const events: RunEvent[] = [];
  const emit = (event: RunEvent) => events.push(event);
  const backend = {
    name: 'scripted',
    identity: 'scripted',
    client: model,
    scheduler: new BackendScheduler({
      concurrency: options.concurrency ?? 8,
      maxRetries: 2,
      baseDelayMs: 1,
      maxDelayMs: 5,
    }),
  };
  const temperatures: Record<Role, number> = { base: 0, selector: 0, judge: 0, optimizer: 0.2 };
  const role = (r: Role) =>
    new RoleClient(r, backend, { temperature: temperatures[r], maxTokens: 256 }, { cache, ledger, emit });
  const roles = { base: role('base'), selector: role('selector'), judge: role('judge'), optimizer: role('optimizer') };
  const catalog = loadAspectCatalog();
  const reward = new DynamicReward(
    { mode: options.mode ?? 'dynamic', catalog, minAspects: 2, maxAspects: 5, allowNewAspects: true },
    { selector: roles.selector, judge: roles.judge },
    { emit },
    ledger,
  );
  return { ledger, cache, events, emit, roles, reward, catalog, backend };
}
