// Issue 6, item 2: a server that serves only 1 or 2 requests at a time and queues the rest (a
// default Ollama serves one; OLLAMA_NUM_PARALLEL=2 two). The run asks for 32 requests at once,
// the plugin says what the server serves (`maxParallel`, as `numParallel` does for Ollama), and
// the engine must keep exactly that many in flight: never more (the server counts every open
// request, queued ones included), and never fewer while work is waiting (slot utilization).
// The same W=2, M=3, D=20 run as the critical-path benchmark; the work bound is
// requests × latency / slots.
import { describe, expect, it } from 'vitest';
import { type Figure, writeBenchResult } from '../support/benchResults.js';
import { round } from '../support/rounding.js';
import { roleCounts, type ServerRun, serverRun } from '../support/serverRun.js';

const W = 2;
const M = 3;
const D = 20;
const LATENCY_MS = 150;

describe('a server that serves 1 or 2 requests at a time', () => {
  it('keeps exactly that many requests in flight and reports the wall time', async () => {
    const runs: { slots: number; run: ServerRun }[] = [];
    for (const slots of [1, 2]) {
      runs.push({
        slots,
        run: await serverRun({
          width: W,
          samples: M,
          depth: D,
          latencyMs: LATENCY_MS,
          slots,
          concurrency: 32,
          maxParallel: slots,
        }),
      });
    }

    const figures: Figure[] = runs.flatMap(({ slots, run }) => {
      const workBoundMs = (run.requests * LATENCY_MS) / slots;
      return [
        {
          measure: `${slots} slot${slots > 1 ? 's' : ''}: wall time`,
          value: round(run.wallMs / 1000, 2),
          unit: 's',
          note: `${run.requests} requests × ${LATENCY_MS} ms / ${slots} = ${round(workBoundMs / 1000, 2)} s of work`,
        },
        {
          measure: `${slots} slot${slots > 1 ? 's' : ''}: most requests in flight`,
          value: run.peakInFlight,
          unit: 'requests',
          target: `= ${slots}`,
          ok: run.peakInFlight === slots,
          note: 'open at the server, queued included',
        },
        {
          measure: `${slots} slot${slots > 1 ? 's' : ''}: slot utilization`,
          value: round(run.slotUtilization, 3),
          unit: '',
          note: 'slot time used / slots × wall',
        },
      ];
    });
    writeBenchResult(
      'engine-limited-server',
      `Limited server: W=${W}, M=${M}, D=${D}, ${LATENCY_MS} ms a request, 1 or 2 served at a time`,
      figures,
      {
        latencyMs: LATENCY_MS,
        runs: runs.map(({ slots, run }) => ({
          slots,
          wallMs: run.wallMs,
          requests: run.requests,
          peakInFlight: run.peakInFlight,
          peakServing: run.peakServing,
          slotUtilization: run.slotUtilization,
          calls: roleCounts(run.result),
        })),
      },
    );

    for (const { slots, run } of runs) {
      expect(run.stderr).toContain(`serves ${slots} at a time`);
      expect(run.result.search.finalDepth).toBe(D);
      expect(run.peakInFlight).toBe(slots);
      expect(run.peakServing).toBe(slots);
    }
  });
});
