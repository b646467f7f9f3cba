// A server that serves 2 requests at a time and refuses the rest at once (503 or 429, with
// Retry-After), as vLLM behind a gateway, a hosted API at its rate limit or a busy shared server
// does. A run with the default concurrency ('auto') and no retries at all (maxRetries 0) must
// still finish with every node judged: overload is waiting, not failing, and uses no retry. The
// server never sees more than slots + 1 at once (auto probes one past the capacity at most), and
// the log says what the limit was and why it moved. Needs `npm run build` (the CLI).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { type LoggedEvent, readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { folderFrom, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const SLOTS = 2;

describe("a server that refuses what it cannot serve, under 'auto'", () => {
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-overload-'));
  let backing: ModelClient;

  beforeAll(async () => {
    backing = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
  });
  afterAll(() => backing.dispose());

  for (const overflow of ['reject-503', 'reject-429'] as const) {
    it(`${overflow}: waits, lowers the limit and finishes with every node judged, using no retry`, {
      timeout: 120_000,
    }, async () => {
      const server = await FakeOpenAIServer.start(backing, { latencyMs: 40, slots: SLOTS, overflow, retryAfterS: 1 });
      try {
        const config = path.join(work, `${overflow}.json`);
        writeFileSync(
          config,
          JSON.stringify({
            // No concurrency: 'auto' is the default. No retries: a refusal that used one would fail its node.
            backends: {
              server: { plugin: 'openai', settings: { baseURL: server.baseURL, model: 'stories260K' }, maxRetries: 0 },
            },
            search: { width: 2, samples: 3, depth: 4 },
            cacheDir: null,
            runsDir: 'runs',
          }),
        );
        const { code, stderr } = await runCliAsync(
          ['optimize', '--config', config, '--user-data', path.join(work, 'user')],
          work,
        );
        expect(code, stderr).toBe(0);
        const dir = folderFrom(stderr);
        const events: LoggedEvent[] = readRunLog(path.join(dir, 'events.jsonl')).events;
        const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as SystemPromptResult;

        expect(server.rejected).toBeGreaterThan(0); // the run did meet a full server…
        expect(events.filter((e) => e.type === 'node-failed')).toEqual([]); // …and lost nothing to it
        expect(result).toMatchObject({ status: 'finished', retries: 0, errors: 0 });
        const waits = events.filter((e) => e.type === 'retry');
        expect(waits.length).toBe(server.rejected);
        expect(waits.every((e) => e.type === 'retry' && e.overload && e.delayMs === 1000)).toBe(true);

        const limits = events.flatMap((e) => (e.type === 'concurrency' ? [e] : []));
        expect(limits[0]).toMatchObject({ backend: 'server', mode: 'auto', limit: 1 });
        expect(limits[0]!.reason).toMatch(/declares no capacity: probing from 1/);
        expect(limits.some((e) => /refused a call \(429\/503\) at \d+ in flight: lowered to/.test(e.reason))).toBe(
          true,
        );
        expect(server.maxInFlight).toBeLessThanOrEqual(SLOTS + 1);
        expect(server.maxServing).toBe(SLOTS);
      } finally {
        await server.close();
      }
    });
  }
});
