// Issue 6, item 1: how close a run comes to its critical path. A W=2, M=3, D=20 system-prompt
// run (the built CLI, its roles on the openai plugin) against a local OpenAI-compatible server
// that answers every call after a fixed latency, with a slot for every request; then the same
// run forced to one call at a time (backend concurrency 1).
//
// The bound: only three latencies per level are truly sequential (optimizer → generation →
// judge), since beam selection needs every score of the level. The root level has no optimizer
// call, and the aspect selections (which depend only on the seed queries) are all fetched at
// start-up, alongside the root's generation, so the start-up costs generation → judge:
// bound = (2 + 3·(D − 1)) · latency. No other call is sequential at start-up: lexical retrieval
// needs none. Wall time is result.json's wallMs (backends opened to result written; Node's own
// start and the CLI's module loading, ~0.3 s, come before it and are in the details).
import { describe, expect, it } from 'vitest';
import { writeBenchResult } from '../support/benchResults.js';
import { round } from '../support/rounding.js';
import { roleCounts, type ServerRun, serverRun } from '../support/serverRun.js';

const W = 2;
const M = 3;
const D = 20;
const LATENCY_MS = 150;
const BOUND_MS = (2 + 3 * (D - 1)) * LATENCY_MS;

describe('critical path (W=2, M=3, D=20)', () => {
  it(`keeps within 1.15 × the critical-path bound, and is at least 4 × faster than one call at a time`, async () => {
    const parallel = await serverRun({ width: W, samples: M, depth: D, latencyMs: LATENCY_MS, concurrency: 32 });
    const sequential = await serverRun({ width: W, samples: M, depth: D, latencyMs: LATENCY_MS, concurrency: 1 });
    const overBound = parallel.wallMs / BOUND_MS;
    const speedUp = sequential.wallMs / parallel.wallMs;
    const levels = parallel.result.search.finalDepth;

    writeBenchResult(
      'engine-critical-path',
      `Critical path: W=${W}, M=${M}, D=${D} against a local server answering after ${LATENCY_MS} ms`,
      [
        {
          measure: 'wall time',
          value: round(parallel.wallMs / 1000, 2),
          unit: 's',
          note: `${parallel.requests} requests, up to ${parallel.peakInFlight} in flight`,
        },
        {
          measure: 'critical-path bound',
          value: round(BOUND_MS / 1000, 2),
          unit: 's',
          note: `(2 + 3·(D − 1)) × ${LATENCY_MS} ms`,
        },
        { measure: 'wall / bound', value: round(overBound, 3), unit: '×', target: '≤ 1.15', ok: overBound <= 1.15 },
        {
          measure: 'wall − bound, per level',
          value: round((parallel.wallMs - BOUND_MS) / levels, 1),
          unit: 'ms',
          note: 'start-up, engine, HTTP client and server time off the latencies',
        },
        {
          measure: 'one call at a time: wall time',
          value: round(sequential.wallMs / 1000, 2),
          unit: 's',
          note: 'backend concurrency 1',
        },
        { measure: 'one call at a time / wall', value: round(speedUp, 2), unit: '×', target: '≥ 4', ok: speedUp >= 4 },
      ],
      {
        width: W,
        samples: M,
        depth: D,
        latencyMs: LATENCY_MS,
        levels,
        parallel: summary(parallel),
        sequential: summary(sequential),
      },
    );

    for (const run of [parallel, sequential]) {
      expect(run.result.search.finalDepth).toBe(D);
      expect(run.result.retries + run.result.parseFailures + run.result.errors).toBe(0);
    }
    expect(sequential.peakInFlight).toBe(1);
    expect(overBound).toBeLessThanOrEqual(1.15);
    expect(speedUp).toBeGreaterThanOrEqual(4);
  });
});

function summary(run: ServerRun) {
  return {
    wallMs: run.wallMs,
    processMs: run.processMs,
    requests: run.requests,
    peakInFlight: run.peakInFlight,
    calls: roleCounts(run.result),
  };
}
