// Issue 12: fast by default on any server, and never a silent loss under overload. The same
// W=2, M=3, D=20 system-prompt run (the built CLI, its roles on the openai plugin, which is told
// nothing about the server) against servers that serve 1, 2, 4, 8 or any number of requests at
// once and, beyond that, queue the rest (a default Ollama, llama.cpp's --parallel N) or refuse
// them at once with 503 or 429 and Retry-After: 1 (a gateway in front of vLLM, a hosted API at its
// rate limit). Each cell runs with concurrency "auto" (the default: it has to find the capacity
// itself) and with the best number set by hand (the slot count; 32 for a server without a limit).
//
// 50 ms a request: long against the engine's own time per call (a few ms), so a queue at the
// server shows in the latencies auto reads, and short enough that the 1-slot runs (281 requests
// one after another, 14 s of work) keep the whole matrix within a few minutes on 2 cores.
// A server without a limit refuses nothing, so its three behaviours are one cell.
//
// Targets: auto within 1.1 × the hand-set wall time; no node lost (node-failed events, result
// errors); auto never more than one request over the slots at the server (its probe). Then the
// declared-capacity path (the plugin told maxParallel 2: exactly 2 in flight), and two runs of one
// process sharing a 2-slot connection (one scheduler, a lane each): never more than the slots at
// the server, and neither run starved (evaluated nodes within 20 % of each other along the way).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudioService } from '../../src/main/api/studioService.js';
import { connectionActivity } from '../../src/main/llm/schedulerPool.js';
import type { FakeServerOptions } from '../../test/support/fakeOpenAIServer.js';
import { type Figure, writeBenchResult } from '../support/benchResults.js';
import { round } from '../support/rounding.js';
import { type ServerRun, serverRun, startBenchServer } from '../support/serverRun.js';

const W = 2;
const M = 3;
const D = 20;
const LATENCY_MS = Number(process.env.DRPO_BENCH_LATENCY_MS ?? 50);
const RETRY_AFTER_S = 1;
const UNLIMITED_BY_HAND = 32;
const AUTO_OVER_HAND = 1.1;
const PROGRESS_SPREAD = 0.2;
/**
 * Progress is compared from this many evaluated nodes on (past a run's third level): before, the two
 * runs' 40 aspect selections share the slots, and two nodes apart (calls on their way) is 20 % of 10.
 */
const PROGRESS_FROM = 20;
const BEHAVIOURS = ['queue', 'reject-503', 'reject-429'] as const;
type Behaviour = (typeof BEHAVIOURS)[number];

const run = (options: { slots?: number; overflow?: Behaviour; concurrency: number | 'auto'; maxParallel?: number }) =>
  serverRun({ width: W, samples: M, depth: D, latencyMs: LATENCY_MS, retryAfterS: RETRY_AFTER_S, ...options });

interface Cell {
  label: string;
  slots: number | undefined;
  auto: ServerRun;
  hand: ServerRun;
  byHand: number;
}

/** Nodes a run lost: node-failed events and the calls result.json counts as errors. */
const lost = (r: ServerRun) => r.failedNodes + r.result.errors;

function cellFigures({ label, slots, auto, hand, byHand }: Cell): Figure[] {
  const ratio = auto.wallMs / hand.wallMs;
  const failures = lost(auto) + lost(hand);
  const figures: Figure[] = [
    {
      measure: `${label}: wall time, auto / ${byHand} by hand`,
      value: round(ratio, 3),
      unit: '×',
      target: `≤ ${AUTO_OVER_HAND}`,
      ok: ratio <= AUTO_OVER_HAND,
      note: `${round(auto.wallMs / 1000, 2)} s / ${round(hand.wallMs / 1000, 2)} s; auto's limit ${limitPath(auto.limits)}`,
    },
    {
      measure: `${label}: nodes lost`,
      value: failures,
      unit: 'nodes',
      target: '= 0',
      ok: failures === 0,
      note: `auto ${auto.failedNodes} failed + ${auto.result.errors} errors; by hand ${hand.failedNodes} + ${hand.result.errors}`,
    },
  ];
  if (slots !== undefined)
    figures.push({
      measure: `${label}: most requests at the server, auto`,
      value: auto.peakInFlight,
      unit: 'requests',
      target: `≤ ${slots + 1}`,
      ok: auto.peakInFlight <= slots + 1,
      note: `by hand: ${hand.peakInFlight}; refused ones count while open`,
    });
  figures.push({
    measure: `${label}: requests refused, auto`,
    value: auto.rejected,
    unit: 'requests',
    note: `by hand: ${hand.rejected}; each waited Retry-After (${RETRY_AFTER_S} s) without using a retry`,
  });
  return figures;
}

/** The limits auto went through, compressed: "2→3→2 … (41 changes) … →4, ended at 4, highest 6". */
function limitPath(limits: readonly number[]): string {
  if (limits.length === 0) return 'not logged';
  const shown =
    limits.length <= 8 ? limits.join('→') : `${limits.slice(0, 4).join('→')} … ${limits.slice(-2).join('→')}`;
  return `${shown} (${limits.length - 1} changes, highest ${Math.max(...limits)})`;
}

function cellDetails({ label, auto, hand }: Cell) {
  const summary = (r: ServerRun) => ({
    wallMs: r.wallMs,
    requests: r.requests,
    rejected: r.rejected,
    peakInFlight: r.peakInFlight,
    peakServing: r.peakServing,
    failedNodes: r.failedNodes,
    errors: r.result.errors,
    limits: r.limits,
  });
  return { label, auto: summary(auto), byHand: summary(hand) };
}

function expectCell({ slots, auto, hand }: Cell): void {
  for (const r of [auto, hand]) {
    expect.soft(r.result.search.finalDepth).toBe(D);
    expect.soft(lost(r)).toBe(0);
  }
  expect.soft(auto.wallMs / hand.wallMs).toBeLessThanOrEqual(AUTO_OVER_HAND);
  if (slots !== undefined) {
    expect.soft(auto.peakInFlight).toBeLessThanOrEqual(slots + 1);
    expect.soft(hand.peakInFlight).toBeLessThanOrEqual(slots);
  }
}

describe(`capacity matrix (W=${W}, M=${M}, D=${D}, ${LATENCY_MS} ms a request)`, () => {
  for (const slots of [1, 2, 4, 8]) {
    it(`${slots} slot${slots > 1 ? 's' : ''}: queued, refused with 503, refused with 429`, async () => {
      const cells: Cell[] = [];
      for (const overflow of BEHAVIOURS) {
        const hand = await run({ slots, overflow, concurrency: slots });
        const auto = await run({ slots, overflow, concurrency: 'auto' });
        cells.push({ label: `${slots} slot${slots > 1 ? 's' : ''}, ${overflow}`, slots, auto, hand, byHand: slots });
      }
      writeBenchResult(
        `engine-capacity-${slots}-slot${slots > 1 ? 's' : ''}`,
        `Capacity matrix: a server serving ${slots} at a time (${LATENCY_MS} ms a request), auto vs ${slots} by hand`,
        cells.flatMap(cellFigures),
        { latencyMs: LATENCY_MS, retryAfterS: RETRY_AFTER_S, cells: cells.map(cellDetails) },
      );
      cells.forEach(expectCell);
    });
  }

  it('a server without a limit', async () => {
    const hand = await run({ concurrency: UNLIMITED_BY_HAND });
    const auto = await run({ concurrency: 'auto' });
    const cell: Cell = { label: 'no limit', slots: undefined, auto, hand, byHand: UNLIMITED_BY_HAND };
    writeBenchResult(
      'engine-capacity-unlimited',
      `Capacity matrix: a server serving every request at once (${LATENCY_MS} ms a request), auto vs ${UNLIMITED_BY_HAND} by hand`,
      cellFigures(cell),
      { latencyMs: LATENCY_MS, cells: [cellDetails(cell)] },
    );
    expectCell(cell);
  });

  it('a declared capacity: the plugin told maxParallel 2, on a 2-slot server', async () => {
    const declared = await run({ slots: 2, concurrency: 'auto', maxParallel: 2 });
    writeBenchResult(
      'engine-capacity-declared',
      `Capacity matrix: a 2-slot queueing server the openai plugin is told about (maxParallel 2), auto`,
      [
        {
          measure: 'most requests at the server',
          value: declared.peakInFlight,
          unit: 'requests',
          target: '= 2',
          ok: declared.peakInFlight === 2,
          note: `limit ${limitPath(declared.limits)}; ${round(declared.wallMs / 1000, 2)} s`,
        },
        {
          measure: 'slot utilization',
          value: round(declared.slotUtilization, 3),
          unit: '',
          note: 'slot time used / 2 × wall',
        },
      ],
      { latencyMs: LATENCY_MS, run: { wallMs: declared.wallMs, limits: declared.limits } },
    );
    // Auto starts from what the plugin declares and never goes above it.
    expect(declared.limits[0]).toBe(2);
    expect(Math.max(...declared.limits)).toBe(2);
    expect(declared.peakInFlight).toBe(2);
    expect(declared.result.search.finalDepth).toBe(D);
  });

  for (const concurrency of [2, 'auto'] as const) {
    const most = concurrency === 'auto' ? 3 : 2;
    it(`two runs of one process sharing a 2-slot connection, concurrency ${concurrency}`, async () => {
      const shared = await sharedConnectionRuns(concurrency, { slots: 2 });
      const spread = maxProgressSpread(shared.progress);
      writeBenchResult(
        `engine-capacity-shared-${concurrency}`,
        `Capacity matrix: two runs in one studio on one saved connection to a 2-slot queueing server, concurrency ${concurrency}`,
        [
          {
            measure: 'runs on the connection’s one scheduler',
            value: shared.users,
            unit: 'runs',
            target: '= 2',
            ok: shared.users === 2,
            note: 'most users of its scheduler seen at once (schedulerPool)',
          },
          {
            measure: 'most requests at the server',
            value: shared.peakInFlight,
            unit: 'requests',
            target: `≤ ${most}`,
            ok: shared.peakInFlight <= most,
            note:
              concurrency === 'auto'
                ? 'auto probes one over the slots of a queueing server'
                : 'both runs together, as one connection',
          },
          {
            measure: 'evaluated nodes, most apart',
            value: round(spread * 100, 1),
            unit: '%',
            target: `≤ ${PROGRESS_SPREAD * 100} %`,
            ok: spread <= PROGRESS_SPREAD,
            note: `|a − b| / max(a, b), sampled every 100 ms while both ran, from ${PROGRESS_FROM} nodes on; ${shared.progress.length} samples`,
          },
          {
            measure: 'wall time of the pair',
            value: round(shared.wallMs / 1000, 2),
            unit: 's',
            note: `${shared.requests} requests × ${LATENCY_MS} ms / 2 slots = ${round((shared.requests * LATENCY_MS) / 2000, 2)} s of work`,
          },
        ],
        { latencyMs: LATENCY_MS, progress: shared.progress, failed: shared.failed },
      );
      expect(shared.failed).toBe(0);
      expect(shared.users).toBe(2);
      expect(shared.peakInFlight).toBeLessThanOrEqual(most);
      expect(spread).toBeLessThanOrEqual(PROGRESS_SPREAD);
    });
  }
});

interface SharedRuns {
  /** [evaluated nodes of run a, of run b], sampled while both ran. */
  progress: [number, number][];
  users: number;
  peakInFlight: number;
  requests: number;
  failed: number;
  wallMs: number;
}

/** Two runs started at once in one studio, both on one saved connection to the server. */
async function sharedConnectionRuns(
  concurrency: number | 'auto',
  server: Pick<FakeServerOptions, 'slots'>,
): Promise<SharedRuns> {
  const fake = await startBenchServer({ latencyMs: LATENCY_MS, slots: server.slots });
  const service = createStudioService({ userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-bench-shared-')) });
  try {
    const { api } = service;
    await api.connections.save('shared', { plugin: 'openai', settings: { baseURL: fake.baseURL, model: 'bench' } });
    const request = {
      stage: 'system-prompt' as const,
      config: {
        backends: { server: { connection: 'shared', concurrency, maxRetries: 0 } },
        search: { width: W, samples: M, depth: D },
        cacheDir: null,
      },
    };
    const started = performance.now();
    const ids = [(await api.runs.start(request)).id, (await api.runs.start(request)).id];
    const evaluated = [0, 0];
    let failed = 0;
    const unsubscribes = ids.map((id, i) =>
      api.runs.subscribe(id, 0, (event) => {
        if (event.type === 'node-evaluated') evaluated[i]! += 1;
        if (event.type === 'node-failed') failed += 1;
      }),
    );
    const progress: [number, number][] = [];
    let users = 0;
    let running = 2;
    const sampler = setInterval(() => {
      users = Math.max(users, ...connectionActivity().map((c) => c.users));
      if (running === 2) progress.push([evaluated[0]!, evaluated[1]!]);
    }, 100);
    try {
      await Promise.all(ids.map((id) => service.runs.settled(id).finally(() => (running -= 1))));
    } finally {
      clearInterval(sampler);
      for (const unsubscribe of unsubscribes) unsubscribe();
    }
    const wallMs = performance.now() - started;
    for (const id of ids) expect((await api.runs.get(id)).status).toBe('finished');
    const requests = fake.requests.filter((r) => r.path.endsWith('/completions')).length;
    return { progress, users, peakInFlight: fake.maxInFlight, requests, failed, wallMs };
  } finally {
    await service.close();
    await fake.close();
  }
}

/** The largest |a − b| / max(a, b) over the samples where either run had got past its start-up. */
function maxProgressSpread(progress: readonly [number, number][]): number {
  return Math.max(
    0,
    ...progress.filter(([a, b]) => Math.max(a, b) >= PROGRESS_FROM).map(([a, b]) => Math.abs(a - b) / Math.max(a, b)),
  );
}
