// Exact request accounting when a backend answers fewer samples than asked, or a plugin's one
// result took several HTTP requests; the rest is asked through the backend's scheduler.
import { describe, expect, it } from 'vitest';
import { BackendScheduler } from '../../src/main/llm/backendScheduler.js';
import { CallCache } from '../../src/main/llm/callCache.js';
import type { CallEvent } from '../../src/main/llm/callEvents.js';
import { CallLedger } from '../../src/main/llm/callLedger.js';
import { RoleClient } from '../../src/main/llm/roleClient.js';
import type { GenerateRequest, GenerateResult } from '../../src/plugins/contract.js';
import { allCapabilities } from '../helpers/scriptedModel.js';

/** Claims n > 1 but answers one text whatever n asks; a request with n > 1 took 2 HTTP requests (a refused n, then one without). */
function ignoringN() {
  const asked: GenerateRequest[] = [];
  let inFlight = 0;
  const peak = { value: 0 };
  const client = {
    capabilities: { ...allCapabilities, multipleSamples: true },
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      asked.push(request);
      inFlight += 1;
      peak.value = Math.max(peak.value, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return {
        texts: [`seed ${request.seed}`],
        usage: { promptTokens: 10, completionTokens: 2 },
        ...(request.n > 1 ? { requests: 2 } : {}),
      };
    },
    async dispose() {},
  };
  return { client, asked, peak };
}

describe('short returns and request counts', () => {
  it('asks the samples a server left out one by one through the scheduler, and counts every request', async () => {
    const { client, asked, peak } = ignoringN();
    const ledger = new CallLedger();
    const events: CallEvent[] = [];
    const scheduler = new BackendScheduler({ concurrency: 1, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const role = new RoleClient(
      'optimizer',
      { name: 'b', identity: 'b', client, scheduler },
      { temperature: 0.7, maxTokens: 10, seed: 7 },
      { cache: new CallCache(), ledger, emit: (e) => events.push(e) },
    );
    const texts = await role.generate({ kind: 'text', text: 'go' }, { n: 3, rolloutId: 'r' });
    // One request for n = 3 (1 text, 2 HTTP requests), then the 2 missing samples as n = 1 with the next seeds.
    expect(asked.map((r) => [r.n, r.seed])).toEqual([
      [3, 7],
      [1, 8],
      [1, 9],
    ]);
    expect(texts).toEqual(['seed 7', 'seed 8', 'seed 9']);
    expect(peak.value).toBe(1); // the rest waited for the connection's one slot
    const calls = events.filter((e) => e.type === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ requests: 4, usage: { promptTokens: 30, completionTokens: 6 } }); // 2 + 1 + 1
    expect(ledger.roles.optimizer).toMatchObject({ calls: 4, samples: 3 });
    expect(ledger.backends.b).toMatchObject({ calls: 4, promptTokens: 30, completionTokens: 6 });
  });

  it('reads the capabilities per call: a client narrowed after opening is sent n = 1 from then on', async () => {
    const { client, asked } = ignoringN();
    const ledger = new CallLedger();
    const scheduler = new BackendScheduler({ concurrency: 4, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const role = new RoleClient(
      'optimizer',
      { name: 'b', identity: 'b', client, scheduler },
      { temperature: 0.7, maxTokens: 10 },
      { cache: new CallCache(), ledger, emit: () => undefined },
    );
    client.capabilities = { ...client.capabilities, multipleSamples: false };
    await role.generate({ kind: 'text', text: 'go' }, { n: 2, rolloutId: 'r' });
    expect(asked.map((r) => r.n)).toEqual([1, 1]);
    expect(ledger.roles.optimizer).toMatchObject({ calls: 2, samples: 2 });
  });
});
