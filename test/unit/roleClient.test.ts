import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendScheduler } from '../../src/main/llm/backendScheduler.js';
import { CallCache } from '../../src/main/llm/callCache.js';
import type { CallEvent } from '../../src/main/llm/callEvents.js';
import { CallLedger } from '../../src/main/llm/callLedger.js';
import { RoleClient, type RoleSettings } from '../../src/main/llm/roleClient.js';
import { ModelCallError } from '../../src/plugins/contract.js';
import { ScriptedModel } from '../helpers/scriptedModel.js';

function setup(model: ScriptedModel, settings: RoleSettings, cache = new CallCache()) {
  const ledger = new CallLedger();
  const events: CallEvent[] = [];
  const backend = {
    name: 'b',
    identity: 'b',
    client: model,
    scheduler: new BackendScheduler({ concurrency: 4, maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 }),
  };
  const client = new RoleClient('judge', backend, settings, { cache, ledger, emit: (e) => events.push(e) });
  return { client, ledger, events, cache };
}

const input = { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'rate this' }] };

describe("a role's model client", () => {
  it('pays once for identical concurrent calls and answers repeats from the cache', async () => {
    const model = new ScriptedModel(() => 'reply', { latencyMs: 5 });
    const { client, ledger } = setup(model, { temperature: 0, maxTokens: 10 });
    const [a, b] = await Promise.all([client.generate(input), client.generate(input)]);
    expect(await client.generate(input)).toEqual(['reply']);
    expect(a).toEqual(b);
    expect(model.requests).toHaveLength(1);
    expect(ledger.roles.judge).toMatchObject({ calls: 1, cacheHits: 2 });
  });

  it('keys sampled calls by rollout id, so a new rollout draws a new sample', async () => {
    let n = 0;
    const model = new ScriptedModel(() => {
      n += 1;
      return `sample ${n}`;
    });
    const { client } = setup(model, { temperature: 0.7, maxTokens: 10 });
    const first = await client.generate(input, { rolloutId: 'node-1' });
    expect(await client.generate(input, { rolloutId: 'node-1' })).toEqual(first);
    expect(await client.generate(input, { rolloutId: 'node-2' })).not.toEqual(first);
  });

  it('fans n samples out into separate requests where the backend has no n > 1, with consecutive seeds', async () => {
    const model = new ScriptedModel((req) => `seed ${req.request.seed}`);
    const { client, ledger, events } = setup(model, { temperature: 0.2, maxTokens: 10, seed: 40 });
    expect(await client.generate(input, { n: 3, rolloutId: 'r' })).toEqual(['seed 40', 'seed 41', 'seed 42']);
    expect(model.requests.map((r) => r.request.n)).toEqual([1, 1, 1]);
    expect(ledger.roles.judge).toMatchObject({ calls: 3, samples: 3 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'call', requests: 3, texts: ['seed 40', 'seed 41', 'seed 42'] });
  });

  it('sends n as is to a backend that samples several at once', async () => {
    const model = new ScriptedModel(() => 'x', { capabilities: { multipleSamples: true } });
    const { client } = setup(model, { temperature: 0.2, maxTokens: 10 });
    await client.generate(input, { n: 3, rolloutId: 'r' });
    expect(model.requests.map((r) => r.request.n)).toEqual([3]);
  });

  it('retries a 500 and records a final failure once, with its kind', async () => {
    let calls = 0;
    const model = new ScriptedModel(() => {
      calls += 1;
      if (calls === 1) throw new ModelCallError('server', 'HTTP 500', { retryAfterMs: 1 });
      throw new ModelCallError('auth', 'bad key');
    });
    const { client, ledger, events } = setup(model, { temperature: 0, maxTokens: 10 });
    await expect(client.generate(input)).rejects.toMatchObject({ kind: 'auth' });
    expect(events.map((e) => e.type)).toEqual(['retry', 'call-failed']);
    expect(ledger.roles.judge).toMatchObject({ calls: 0, errors: 1, retries: 1 });
  });

  it('sends the JSON schema only to backends that can constrain decoding', async () => {
    const plain = new ScriptedModel(() => '{}');
    await setup(plain, { temperature: 0, maxTokens: 10 }).client.generate(input, { jsonSchema: { type: 'object' } });
    expect(plain.requests[0]!.request.jsonSchema).toBeUndefined();
    const constrained = new ScriptedModel(() => '{}', { capabilities: { jsonSchema: true } });
    await setup(constrained, { temperature: 0, maxTokens: 10 }).client.generate(input, {
      jsonSchema: { type: 'object' },
    });
    expect(constrained.requests[0]!.request.jsonSchema).toEqual({ type: 'object' });
  });

  it('keeps deterministic replies in the shared cache file across runs, sampled ones not', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'drpo-cache-')), 'calls.jsonl');
    const model = new ScriptedModel(() => 'kept');
    await setup(model, { temperature: 0, maxTokens: 10 }, new CallCache(file)).client.generate(input);
    await setup(model, { temperature: 0.5, maxTokens: 10 }, new CallCache(file)).client.generate(input, {
      rolloutId: 'r',
    });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    const later = setup(model, { temperature: 0, maxTokens: 10 }, new CallCache(file));
    expect(await later.client.generate(input)).toEqual(['kept']);
    expect(model.requests).toHaveLength(2);
  });
});
