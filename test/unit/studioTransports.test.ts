// The studio's service API over its transports. One contract suite runs three times — against an
// in-memory StudioApi directly, through HTTP + server-sent events, and through Electron-style IPC
// (a fake ipcMain/ipcRenderer passing real MessageChannel ports) — so that whatever the renderer
// sees does not depend on the transport. Then what only one transport has: the HTTP server's
// token, routes, loopback binding and static files; IPC's refusal of untrusted senders. Malformed
// arguments and thrown errors, over both, at the end.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type StudioApiServer, serveStudioApi } from '../../src/main/transports/httpTransport.js';
import {
  type IpcMainLike,
  type IpcPortEvent,
  type IpcSenderEvent,
  type IpcStudioApiServer,
  type MainMessagePort,
  serveStudioApiOverIpc,
} from '../../src/main/transports/ipcTransport.js';
import { createIpcBridge, type IpcRendererLike } from '../../src/preload/ipcBridge.js';
import { createHttpStudioClient } from '../../src/shared/httpStudioClient.js';
import { createIpcStudioClient } from '../../src/shared/ipcStudioClient.js';
import type { RunConfigInput } from '../../src/shared/runConfigSchema.js';
import type { AspectCatalogDto, RunDetail, RunEventMessage, StudioApi, TreeNode } from '../../src/shared/studioApi.js';
import { API_METHODS, SUBSCRIPTIONS } from '../../src/shared/studioApi.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';

/** The least run config the API accepts. */
const RUN_CONFIG = { backends: { main: { connection: 'local' } } } satisfies RunConfigInput;

// ---------------------------------------------------------------------------------------------
// A fake in-memory StudioApi: a tiny runs store whose subscribe replays events after sinceSeq and
// then pushes live ones.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2000, interval: 5 });

interface FakeRun {
  detail: RunDetail;
  events: RunEventMessage[];
  listeners: Set<(event: RunEventMessage) => void>;
}

interface FakeStudio {
  api: StudioApi;
  /** Appends an event to a run's log and pushes it to its live subscribers. */
  emit(runId: string, type: string, extra?: Record<string, unknown>): RunEventMessage;
  /** Method names in the order they were called. */
  calls: string[];
  subscribes: number;
  unsubscribes: number;
  active(runId: string): number;
}

const nestedTree: TreeNode[] = [
  {
    id: 'n0',
    parentId: null,
    level: 0,
    state: 'Be helpful.',
    action: 'initial',
    query: 'q0',
    reward: null,
    score: null,
    inBeam: true,
  },
  {
    id: 'n1',
    parentId: 'n0',
    level: 1,
    state: 'Be helpful — and "honest".\nÜnïcödé ✓ 🚀',
    action: 'rewrite',
    query: 'q1',
    output: 'line 1\r\nline 2\n\ndata: not an SSE field',
    reward: 0.5,
    score: -1.25e-7,
    aspects: [
      { aspect: 'helpfulness', score: 4, rationale: 'ok' },
      { aspect: 'safety', score: null, rationale: '' },
    ],
    inBeam: false,
  },
];

function createFakeStudio(): FakeStudio {
  const runs = new Map<string, FakeRun>();
  const connections: Record<string, { plugin: string; settings: Record<string, unknown> }> = {};
  let catalog: AspectCatalogDto = {
    aspects: [{ name: 'helpfulness', description: 'Helps.', enabled: true }],
    staticAspects: ['safety'],
  };
  let nextId = 1;
  const fake: FakeStudio = {
    api: undefined as unknown as StudioApi,
    calls: [],
    subscribes: 0,
    unsubscribes: 0,
    emit(runId, type, extra = {}) {
      const run = mustGet(runId);
      const event: RunEventMessage = {
        ...extra,
        seq: run.events.length + 1,
        ts: 1_700_000_000_000 + run.events.length,
        type,
      };
      run.events.push(event);
      for (const listener of run.listeners) listener(event);
      return event;
    },
    active: (runId) => mustGet(runId).listeners.size,
  };

  function mustGet(id: string): FakeRun {
    const run = runs.get(id);
    if (!run) throw new Error(`No run with id "${id}"`);
    return run;
  }

  function addRun(config: unknown, stage: 'system-prompt' | 'icl'): string {
    const id = `run-${nextId++}`;
    runs.set(id, {
      detail: {
        id,
        stage,
        status: 'running',
        createdAt: 1_700_000_000_000,
        bestScore: null,
        nodeCount: nestedTree.length,
        calls: 0,
        config,
        tree: structuredClone(nestedTree),
      },
      events: [],
      listeners: new Set(),
    });
    return id;
  }

  const setStatus = async (id: string, status: RunDetail['status']): Promise<void> => {
    fake.calls.push(`status:${status}`);
    mustGet(id).detail.status = status;
  };

  fake.api = {
    runs: {
      async list() {
        fake.calls.push('runs.list');
        return [...runs.values()].map(
          ({ detail: { config: _config, tree: _tree, result: _result, ...summary } }) => summary,
        );
      },
      async get(id) {
        fake.calls.push('runs.get');
        return structuredClone(mustGet(id).detail);
      },
      async estimate(request) {
        fake.calls.push('runs.estimate');
        // Waits as long as asked, so that concurrent calls finish out of order.
        await sleep(Number(request.config.backends.main?.settings?.delayMs ?? 0));
        return {
          a5: { optimizer: 3, judge: 2 },
          planned: { index: Number(request.config.initialPrompt ?? 0) },
          worstCase: { optimizer: 4, judge: 3 },
          levels: { planned: 2, worstCase: 3 },
          fitness: { refusals: [], warnings: [] },
          tokens: { judge: { prompt: 100, completion: 50 } },
          cost: { judge: { model: 'm', noPrice: 'no price for m' } },
        };
      },
      async start(request) {
        fake.calls.push('runs.start');
        return { id: addRun(request.config, request.stage) };
      },
      pause: (id) => setStatus(id, 'paused'),
      resume: (id) => setStatus(id, 'running'),
      cancel: (id) => setStatus(id, 'cancelled'),
      async remove(id) {
        fake.calls.push('runs.remove');
        mustGet(id);
        runs.delete(id);
      },
      async fork(id, nodeId) {
        fake.calls.push('runs.fork');
        return { id: addRun({ ...(mustGet(id).detail.config as object), from: nodeId }, 'system-prompt') };
      },
      async export(id, format) {
        fake.calls.push('runs.export');
        return `${format} of ${mustGet(id).detail.id}`;
      },
      async exportBundle(id) {
        fake.calls.push('runs.exportBundle');
        const run = mustGet(id);
        return {
          format: 'drpo-studio-run-bundle',
          version: 1,
          stage: run.detail.stage,
          config: run.detail.config,
          events: run.events,
        };
      },
      async importBundle(bundle) {
        fake.calls.push('runs.importBundle');
        return { id: addRun(bundle.config, bundle.stage) };
      },
      async importTrace(request) {
        fake.calls.push('runs.importTrace');
        return { id: addRun({ trace: request.model }, 'system-prompt') };
      },
      subscribe(id, sinceSeq, listener) {
        fake.calls.push('runs.subscribe');
        const run = mustGet(id);
        fake.subscribes++;
        for (const event of run.events) if (event.seq > sinceSeq) listener(event);
        run.listeners.add(listener);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          fake.unsubscribes++;
          run.listeners.delete(listener);
        };
      },
      async bind(id) {
        fake.calls.push('runs.bind');
        mustGet(id);
      },
      async activity(id) {
        fake.calls.push('runs.activity');
        // A running run has its calls and limits; a stopped one none (null, not undefined, crosses).
        return mustGet(id).detail.status === 'running'
          ? {
              inFlight: 3,
              queued: 2,
              waitingOnOverload: 1,
              backends: [
                { backend: 'main', mode: 'auto', limit: 4, reason: 'latency flat at 3 in flight: raised to 4' },
              ],
              timeLeftMs: null,
              spent: { promptTokens: 1200, completionTokens: 300, dollars: 0.0042 },
              budget: { dollars: 1 },
            }
          : null;
      },
      // Housekeeping (issue 16 item 4)
      async describe(id, description) {
        fake.calls.push('runs.describe');
        const run = mustGet(id).detail;
        Object.assign(run, description);
        return { name: run.name, notes: run.notes };
      },
      async duplicate(id) {
        fake.calls.push('runs.duplicate');
        const run = mustGet(id).detail;
        return { id: addRun(run.config, run.stage) };
      },
      async catalog(id) {
        fake.calls.push('runs.catalog');
        return mustGet(id).detail.catalog ?? null;
      },
    },
    experiments: {
      async list() {
        return [];
      },
      async get(id) {
        throw new StudioApiError('not-found', `No experiment with id "${id}"`);
      },
      async start() {
        return { id: 'experiment-1' };
      },
      async cancel() {},
      async resume(id) {
        throw new StudioApiError('conflict', `experiment ${id} has finished`);
      },
      async remove(id) {
        throw new StudioApiError('not-found', `No experiment with id "${id}"`);
      },
      subscribe() {
        return () => undefined;
      },
      async activity() {
        return null;
      },
      // Answers item by item (issue 16, items).
      async items(id, query) {
        return {
          total: 0,
          items: 0,
          rows: [],
          setups: [id],
          targets: [],
          categories: {},
          source: 'log',
          damaged: [{ file: 'events.jsonl', line: query.offset ?? 0, reason: 'not JSON' }],
        };
      },
      async item(id, itemId) {
        throw new StudioApiError('not-found', `no item "${itemId}" in experiment ${id}`);
      },
      // Housekeeping (issue 16 item 4)
      async describe(id) {
        throw new StudioApiError('not-found', `No experiment with id "${id}"`);
      },
      async duplicate(id) {
        throw new StudioApiError('not-found', `No experiment with id "${id}"`);
      },
    },
    datasets: {
      async list() {
        return [];
      },
      async get(name) {
        return { name, kind: 'seed-queries', items: [] };
      },
      async import(name, kind) {
        return { name, kind, items: 0, updatedAt: 0 };
      },
      async save() {
        fake.calls.push('datasets.save');
      },
      async remove() {},
    },
    secrets: {
      async list() {
        return { available: false, names: [], weak: false };
      },
      async set() {
        // A bug deep in a service: its message may reach the caller, its stack must not.
        throw new TypeError("Cannot read properties of undefined (reading 'encrypt')");
      },
      async remove() {},
    },
    retrieval: {
      async preview(_dataset, query) {
        return [{ query, answer: 'a' }];
      },
    },
    playground: {
      compare(request, listener) {
        fake.calls.push('playground.compare');
        const timer = setTimeout(() => {
          listener({ side: 'a', type: 'chunk', text: request.query });
          listener({ side: 'a', type: 'done', text: request.query, examples: [] });
        }, 1);
        return () => clearTimeout(timer);
      },
    },
    plugins: {
      async list() {
        fake.calls.push('plugins.list');
        return [{ id: 'llama-cpp', source: 'builtin', enabled: true }];
      },
    },
    connections: {
      async list() {
        fake.calls.push('connections.list');
        return structuredClone(connections);
      },
      async save(name, connection) {
        fake.calls.push('connections.save');
        connections[name] = structuredClone(connection);
      },
      async remove(name) {
        fake.calls.push('connections.remove');
        delete connections[name];
      },
      async test(name) {
        fake.calls.push('connections.test');
        return connections[name]
          ? { ok: true, models: [{ id: 'm' }], checks: 'reachable' }
          : { ok: false, error: `no connection ${name}` };
      },
      async detect(addresses) {
        fake.calls.push('connections.detect');
        return { found: [], silent: (addresses ?? []).map((address) => ({ address, reason: 'refused' })) };
      },
      async activity() {
        fake.calls.push('connections.activity');
        return Object.keys(connections).map((connection) => ({
          connection,
          users: 2,
          mode: 'fixed' as const,
          limit: 2,
          reason: 'pinned at 2 by the config',
          inFlight: 2,
          queued: 5,
          waitingOnOverload: 0,
          peakInFlight: 2,
        }));
      },
    },
    models: {
      async catalog() {
        fake.calls.push('models.catalog');
        return [];
      },
      async list() {
        fake.calls.push('models.list');
        return [];
      },
      pull(request, listener) {
        fake.calls.push('models.pull');
        const timer = setTimeout(() => {
          listener({ type: 'progress', downloadedBytes: 1, totalBytes: 2, bytesPerSecond: 1, secondsLeft: 1 });
          listener({ type: 'done', path: request.source, sizeBytes: 2, connection: request.connection ?? 'm' });
        }, 1);
        return () => clearTimeout(timer);
      },
    },
    aspects: {
      async get() {
        fake.calls.push('aspects.get');
        return structuredClone(catalog);
      },
      async save(next) {
        fake.calls.push('aspects.save');
        catalog = structuredClone(next);
      },
      // Trying criteria on a query (issue 17).
      async parse(text) {
        fake.calls.push('aspects.parse');
        return JSON.parse(text);
      },
      async estimateTry(request) {
        fake.calls.push('aspects.estimateTry');
        const steps = request.aspects ? (['judge'] as const) : (['select', 'judge'] as const);
        return {
          calls: steps.length,
          worstCase: 2 * steps.length,
          steps: [...steps],
          promptTokens: 10,
          completionTokens: 5,
          costUsd: null,
        };
      },
      try(request, listener) {
        fake.calls.push('aspects.try');
        const timer = setTimeout(() => listener({ type: 'error', error: `no connection ${request.judge}` }), 1);
        return () => clearTimeout(timer);
      },
      async tryDefaults() {
        fake.calls.push('aspects.tryDefaults');
        return {};
      },
      async probes() {
        fake.calls.push('aspects.probes');
        return [];
      },
      async saveProbes() {
        fake.calls.push('aspects.saveProbes');
      },
    },
    // Judge checks (issue 16).
    judgeChecks: {
      async estimate() {
        fake.calls.push('judgeChecks.estimate');
        return { answers: 2, available: 6, calls: 6, worstCase: 12, judges: ['judge'] };
      },
      run(request, listener) {
        fake.calls.push('judgeChecks.run');
        const timer = setTimeout(() => listener({ type: 'error', error: `no experiment ${request.experiment}` }), 1);
        return () => clearTimeout(timer);
      },
    },
  };
  return fake;
}

// ---------------------------------------------------------------------------------------------
// The contract every transport must keep.

interface Harness {
  api: StudioApi;
  fake: FakeStudio;
  close(): Promise<void>;
}

function describeContract(name: string, makeApi: (fake: FakeStudio) => Promise<Omit<Harness, 'fake'>>): void {
  describe(`the studio API contract: ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      const fake = createFakeStudio();
      h = { fake, ...(await makeApi(fake)) };
    });
    afterEach(async () => {
      await h.close();
    });

    it('round-trips nested JSON arguments and results', async () => {
      const config = {
        backends: {
          main: {
            plugin: 'ollama',
            settings: {
              model: { name: 'm', params: [1, 2.5, null, true, { deep: ['ü', '"q"', '\n'] }] },
              apiKey: 'env:KEY',
              empty: {},
            },
          },
        },
        initialPrompt: 'Be "honest" — ü ✓\n',
      };
      const { id } = await h.api.runs.start({ stage: 'system-prompt', config });
      expect(id).toBe('run-1');
      const detail = await h.api.runs.get(id);
      expect(detail.config).toEqual(config);
      expect(detail.tree).toEqual(nestedTree);
      expect(detail).not.toHaveProperty('result');
      expect(await h.api.runs.list()).toEqual([
        {
          id,
          stage: 'system-prompt',
          status: 'running',
          createdAt: 1_700_000_000_000,
          bestScore: null,
          nodeCount: 2,
          calls: 0,
        },
      ]);

      // An optional argument left undefined (which JSON would send as null) is no argument at all.
      expect(await h.api.runs.export(id, 'text', undefined)).toBe(`text of ${id}`);
      expect(await h.api.runs.pause(id)).toBeUndefined();
      expect((await h.api.runs.get(id)).status).toBe('paused');

      const catalog: AspectCatalogDto = {
        aspects: [
          { name: 'depth', description: 'Goes deep — "really".', rubric: 'A 5 goes deep; a 1 skims.', enabled: false },
          { name: 'clarity', description: '', enabled: true },
        ],
        staticAspects: [],
      };
      expect(await h.api.aspects.save(catalog)).toBeUndefined();
      expect(await h.api.aspects.get()).toEqual(catalog);
    });

    it("carries live activity: the connections in use, a running run's calls, and null for a stopped one", async () => {
      expect(await h.api.connections.activity()).toEqual([]);
      await h.api.connections.save('local', { plugin: 'ollama', settings: {} });
      expect(await h.api.connections.activity()).toEqual([
        {
          connection: 'local',
          users: 2,
          mode: 'fixed',
          limit: 2,
          reason: 'pinned at 2 by the config',
          inFlight: 2,
          queued: 5,
          waitingOnOverload: 0,
          peakInFlight: 2,
        },
      ]);
      const { id } = await h.api.runs.start({ stage: 'system-prompt', config: RUN_CONFIG });
      expect(await h.api.runs.activity(id)).toEqual({
        inFlight: 3,
        queued: 2,
        waitingOnOverload: 1,
        backends: [{ backend: 'main', mode: 'auto', limit: 4, reason: 'latency flat at 3 in flight: raised to 4' }],
        timeLeftMs: null,
        spent: { promptTokens: 1200, completionTokens: 300, dollars: 0.0042 },
        budget: { dollars: 1 },
      });
      await h.api.runs.pause(id);
      expect(await h.api.runs.activity(id)).toBeNull();
      expect(await h.api.experiments.activity('experiment-1')).toBeNull();
      // Answers item by item: the query and the error cross intact.
      expect((await h.api.experiments.items('experiment-1', { offset: 7, order: 'file' })).damaged).toEqual([
        { file: 'events.jsonl', line: 7, reason: 'not JSON' },
      ]);
      await expect(h.api.experiments.item('experiment-1', '3')).rejects.toThrow(
        'no item "3" in experiment experiment-1',
      );
    });

    it('turns a thrown error into a rejected Error with its message', async () => {
      const error = await h.api.runs.get('missing').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('No run with id "missing"');
      await expect(h.api.runs.cancel('gone')).rejects.toThrow('No run with id "gone"');
      // The API still answers afterwards.
      expect(await h.api.runs.list()).toEqual([]);
    });

    it('delivers replayed then live events in order, and stops after unsubscribe', async () => {
      const { id } = await h.api.runs.start({ stage: 'icl', config: RUN_CONFIG });
      h.fake.emit(id, 'run-started');
      h.fake.emit(id, 'node', { node: nestedTree[1] });
      h.fake.emit(id, 'beam', { kept: ['n1'] });

      const received: RunEventMessage[] = [];
      const unsubscribe = h.api.runs.subscribe(id, 1, (event) => received.push(event));
      expect(typeof unsubscribe).toBe('function');
      await until(() => expect(h.fake.active(id)).toBe(1));
      await until(() => expect(received.map((e) => e.seq)).toEqual([2, 3]));
      expect(received[0]).toEqual({ seq: 2, ts: 1_700_000_000_001, type: 'node', node: nestedTree[1] });

      const live = [
        h.fake.emit(id, 'node', { node: { ...nestedTree[0], id: 'n2' } }),
        h.fake.emit(id, 'finished', { result: { best: 'n1', scores: [1, null] } }),
      ];
      await until(() => expect(received.map((e) => e.seq)).toEqual([2, 3, 4, 5]));
      expect(received.slice(2)).toEqual(live);

      unsubscribe();
      unsubscribe(); // idempotent
      await until(() => expect(h.fake.unsubscribes).toBe(1));
      expect(h.fake.active(id)).toBe(0);
      h.fake.emit(id, 'late');
      await sleep(30);
      expect(received).toHaveLength(4);
    });

    it('carries long subscription arguments (a 200 kB query) whole: no URL, so no 431', async () => {
      const query = `long query ${'ü'.repeat(100_000)} end`;
      const setup = { systemPrompt: 'x'.repeat(50_000) };
      const texts: string[] = [];
      h.api.playground.compare({ connection: 'local', promptFormat: 'chat', query, a: setup, b: setup }, (event) => {
        if (event.type === 'done') texts.push(event.text);
      });
      await until(() => expect(texts).toEqual([query]));
    });

    it('keeps concurrent subscriptions apart', async () => {
      const a = (await h.api.runs.start({ stage: 'icl', config: RUN_CONFIG })).id;
      const b = (await h.api.runs.start({ stage: 'icl', config: RUN_CONFIG })).id;
      const fromA: number[] = [];
      const fromB: string[] = [];
      const stopA = h.api.runs.subscribe(a, 0, (e) => fromA.push(e.seq));
      const stopB = h.api.runs.subscribe(b, 0, (e) => fromB.push(e.type));
      await until(() => expect([h.fake.active(a), h.fake.active(b)]).toEqual([1, 1]));
      for (let i = 0; i < 20; i++) {
        h.fake.emit(a, 'tick');
        if (i % 2 === 0) h.fake.emit(b, `b${i}`);
      }
      await until(() => expect(fromA).toHaveLength(20));
      await until(() => expect(fromB).toHaveLength(10));
      expect(fromA).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(fromB).toEqual(Array.from({ length: 10 }, (_, i) => `b${i * 2}`));
      stopA();
      stopB();
      await until(() => expect(h.fake.unsubscribes).toBe(2));
    });

    it('answers concurrent calls each with its own result', async () => {
      const n = 16;
      const results = await Promise.all(
        Array.from({ length: n }, (_, index) =>
          // Later calls finish first.
          h.api.runs.estimate({
            stage: 'system-prompt',
            config: {
              backends: { main: { connection: 'local', settings: { delayMs: (n - index) * 2 } } },
              initialPrompt: String(index),
            },
          }),
        ),
      );
      expect(results.map((r) => r.planned.index)).toEqual(Array.from({ length: n }, (_, i) => i));
      const mixed = await Promise.all([
        h.api.runs.list(),
        h.api.aspects.get(),
        h.api.runs.get('nope').catch((e: Error) => e.message),
        h.api.runs.list(),
      ]);
      expect(mixed).toEqual([
        [],
        { aspects: [{ name: 'helpfulness', description: 'Helps.', enabled: true }], staticAspects: ['safety'] },
        'No run with id "nope"',
        [],
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// An in-memory Electron: ipcMain/ipcRenderer pairs that clone what crosses, and pass real
// MessageChannel ports (wrapped on the main side as Electron's MessagePortMain).

function asMainPort(port: MessagePort): MainMessagePort {
  return {
    postMessage: (message) => port.postMessage(message),
    on(event: 'message' | 'close', listener: ((messageEvent: { data: unknown }) => void) | (() => void)) {
      if (event === 'message')
        port.addEventListener('message', (e) =>
          (listener as (messageEvent: { data: unknown }) => void)({ data: e.data }),
        );
      else port.addEventListener('close', () => (listener as () => void)());
      return this;
    },
    start: () => port.start(),
    close: () => port.close(),
  } as MainMessagePort;
}

function fakeElectron(frameUrl: string) {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, Set<(event: IpcPortEvent, ...args: unknown[]) => void>>();
  const sender = { id: 1 };
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      if (listeners.get(channel)?.size === 0) listeners.delete(channel);
    },
  };
  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler)
        throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      const cloned = structuredClone(args);
      await Promise.resolve();
      try {
        return structuredClone(await handler({ sender, senderFrame: { url: frameUrl } }, ...cloned));
      } catch (error) {
        throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
      }
    },
    postMessage(channel, message, transfer) {
      const ports = transfer.map(asMainPort);
      const cloned = structuredClone(message);
      setImmediate(() => {
        for (const listener of listeners.get(channel) ?? [])
          listener({ sender, senderFrame: { url: frameUrl }, ports }, cloned);
      });
    },
  };
  return { ipcMain, ipcRenderer, handlers, listeners };
}

const TRUSTED_URL = 'app://studio/index.html';
const isTrustedSender = (event: IpcSenderEvent): boolean => event.senderFrame?.url.startsWith('app://studio/') ?? false;

// ---------------------------------------------------------------------------------------------

describeContract('in memory', async (fake) => ({ api: fake.api, close: async () => {} }));

describeContract('over HTTP', async (fake) => {
  const server = await serveStudioApi(fake.api, {});
  return { api: createHttpStudioClient(server.url, server.token), close: () => server.close() };
});

describeContract('over IPC', async (fake) => {
  const electron = fakeElectron(TRUSTED_URL);
  const server = serveStudioApiOverIpc(fake.api, electron.ipcMain, { isTrustedSender });
  const api = createIpcStudioClient(createIpcBridge(electron.ipcRenderer));
  return { api, close: async () => server.close() };
});

// ---------------------------------------------------------------------------------------------

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with a raw path and headers, as no fetch would send it. */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; host?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host ?? hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Whether a TCP connection to host:port opens within the time. */
function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

describe('the HTTP transport', () => {
  let fake: FakeStudio;
  let server: StudioApiServer;
  let root: string;
  const csp =
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'drpo-transport-'));
    const www = path.join(root, 'www');
    mkdirSync(path.join(www, 'assets'), { recursive: true });
    writeFileSync(path.join(www, 'index.html'), '<!doctype html><title>DRPO Studio</title>');
    writeFileSync(path.join(www, 'assets', 'app.js'), 'console.log("app");');
    writeFileSync(path.join(www, 'assets', 'style.css'), 'body{}');
    writeFileSync(path.join(www, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(root, 'package.json'), '{"secret":"OUTSIDE-THE-FOLDER"}');
    symlinkSync(path.join(root, 'package.json'), path.join(www, 'linked.json'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(async () => {
    fake = createFakeStudio();
    server = await serveStudioApi(fake.api, { staticDir: path.join(root, 'www') });
  });
  afterEach(async () => {
    await server.close();
  });

  const call = (pathname: string, init: RequestInit = {}) => fetch(`${server.url}${pathname}`, init);
  const authed = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${server.token}`, ...extra });

  it('makes a fresh random token per launch, or uses the one given', async () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await serveStudioApi(fake.api, {});
    const given = await serveStudioApi(fake.api, { token: 'a-token-from-the-command-line' });
    try {
      expect(other.token).not.toBe(server.token);
      expect(given.token).toBe('a-token-from-the-command-line');
      expect(await createHttpStudioClient(given.url, 'a-token-from-the-command-line').runs.list()).toEqual([]);
    } finally {
      await other.close();
      await given.close();
    }
  });

  it('refuses /api requests with a missing or wrong token with 401 JSON', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: `Bearer ${server.token}x` },
      { Authorization: server.token },
    ];
    for (const headers of attempts) {
      const res = await call('/api/call/runs/list', { method: 'POST', headers, body: '{"args":[]}' });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Missing or wrong API token' } });
    }
    // The token is a header only: never taken from the query, where logs and history would keep it.
    expect((await call(`/api/call/runs/list?token=${server.token}`, { method: 'POST', body: '{}' })).status).toBe(401);
    const body = JSON.stringify({ args: ['run-1', 0] });
    expect((await call(`/api/subscribe/runs/subscribe?token=${server.token}`, { method: 'POST', body })).status).toBe(
      401,
    );
    // Unknown /api paths are not probed without the token either.
    expect((await call('/api/nothing')).status).toBe(401);
    const refused = await createHttpStudioClient(server.url, 'wrong')
      .runs.list()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StudioApiError);
    expect(refused).toMatchObject({ code: 'unauthenticated', message: 'Missing or wrong API token' });
    expect(fake.calls).toEqual([]);
  });

  it('streams a subscription as text/event-stream to a request with the token, and unsubscribes on disconnect', async () => {
    const { id } = await fake.api.runs.start({ stage: 'icl', config: RUN_CONFIG });
    fake.emit(id, 'first');
    fake.emit(id, 'second');
    const body = JSON.stringify({ args: [id, 1] });
    const subscribe = (init: RequestInit) => call('/api/subscribe/runs/subscribe', { method: 'POST', body, ...init });
    expect((await subscribe({})).status).toBe(401);
    expect((await subscribe({ headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);

    const controller = new AbortController();
    const res = await subscribe({ headers: authed(), signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-security-policy')).toBe(csp);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"seq":2')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text).toContain(`data: ${JSON.stringify({ seq: 2, ts: 1_700_000_000_001, type: 'second' })}\n\n`);
    expect(text).not.toContain('"first"');
    expect(fake.active(id)).toBe(1);
    controller.abort();
    await until(() => expect(fake.unsubscribes).toBe(1));
    expect(fake.active(id)).toBe(0);
  });

  it('answers 404 for methods outside the contract, and for calls to subscriptions and vice versa', async () => {
    const post = (p: string) =>
      call(p, { method: 'POST', headers: authed({ 'Content-Type': 'application/json' }), body: '{"args":[]}' });
    for (const p of [
      '/api/call/runs/nope',
      '/api/call/nope/list',
      '/api/call/runs/subscribe',
      '/api/call/runs/constructor',
      '/api/call/runs/toString',
      '/api/call/runs/__proto__',
      '/api/call/__proto__/list',
      '/api/call/__proto__/toString',
      '/api/call/toString/call',
      '/api/call/constructor/constructor',
      '/api/call/runs/list/extra',
      '/api/call/runs',
      '/api/other/runs/list',
    ]) {
      const res = await post(p);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
    }
    expect((await post('/api/subscribe/runs/list')).status).toBe(404);
    expect((await post('/api/subscribe/aspects/nope')).status).toBe(404);
    expect((await post('/api/subscribe/runs/__proto__')).status).toBe(404);
    expect((await post('/api/subscribe/__proto__/subscribe')).status).toBe(404);
    // Subscriptions are POSTs: their arguments travel in the body, never in the URL.
    expect((await call('/api/subscribe/runs/subscribe', { headers: authed() })).status).toBe(405);
    expect((await call('/api/call/runs/list', { headers: authed() })).status).toBe(405);
    expect(fake.calls).toEqual([]);
  });

  it('sends the error message only (no stack) with 500, and 400 for malformed requests', async () => {
    const res = await call('/api/call/runs/get', {
      method: 'POST',
      headers: authed(),
      body: JSON.stringify({ args: ['x'] }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'No run with id "x"' } });
    // A subscription that cannot start answers its error before any stream.
    const sub = await call('/api/subscribe/runs/subscribe', {
      method: 'POST',
      headers: authed(),
      body: JSON.stringify({ args: ['x', 0] }),
    });
    expect(sub.status).toBe(500);
    expect(await sub.json()).toEqual({ error: { code: 'internal', message: 'No run with id "x"' } });

    const malformed = {
      '{not json': 'The request body is not valid JSON',
      '{"args":{"0":1}}': '"args" must be a JSON array',
      '[1]': 'The request body must be {"args": [...]}',
    };
    for (const [body, message] of Object.entries(malformed)) {
      const answer = await call('/api/call/runs/list', { method: 'POST', headers: authed(), body });
      expect(answer.status, body).toBe(400);
      expect(await answer.json()).toEqual({ error: { code: 'invalid-argument', message } });
    }
    expect((await call('/api/subscribe/runs/subscribe', { method: 'POST', headers: authed(), body: '{' })).status).toBe(
      400,
    );
    // An empty body means no arguments.
    expect(await (await call('/api/call/runs/list', { method: 'POST', headers: authed() })).json()).toEqual({
      result: [],
    });
  });

  it('refuses request bodies over the limit with 413', async () => {
    const big = JSON.stringify({ args: [{ stage: 'icl', config: { blob: 'x'.repeat(6 * 1024 * 1024) } }] });
    const res = await call('/api/call/runs/start', { method: 'POST', headers: authed(), body: big });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'too-large', message: expect.stringMatching(/over/) } });
    expect(fake.calls).toEqual([]);
    // The server is fine afterwards.
    expect(await createHttpStudioClient(server.url, server.token).runs.list()).toEqual([]);
  });

  it('ends a request whose headers trickle in past the header timeout, but never an open event stream', async () => {
    const timed = await serveStudioApi(fake.api, { timeouts: { headersMs: 200, requestMs: 400, keepAliveMs: 100 } });
    try {
      const { port } = new URL(timed.url);
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      let answer = '';
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('utf8');
      });
      const ended = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
      const start = Date.now();
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`); // and never the blank line
      const closedAfter = (await ended) - start;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfter).toBeLessThan(2000);

      // A stream open three times the request timeout still delivers.
      const { id } = await fake.api.runs.start({ stage: 'icl', config: RUN_CONFIG });
      const seen: string[] = [];
      const stop = createHttpStudioClient(timed.url, timed.token).runs.subscribe(id, 0, (e) => seen.push(e.type));
      await until(() => expect(fake.active(id)).toBe(1));
      await sleep(1200);
      fake.emit(id, 'late');
      await until(() => expect(seen).toEqual(['late']));
      stop();
    } finally {
      await timed.close();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const { hostname, port } = new URL(server.url);
    expect(hostname).toBe('127.0.0.1');
    expect(await canConnect('127.0.0.1', Number(port))).toBe(true);
    // Bound to the one address, not 0.0.0.0: other loopback and external addresses are closed.
    const others = [
      '127.0.0.2',
      ...Object.values(networkInterfaces()).flatMap((list) =>
        (list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address),
      ),
    ];
    for (const host of others) expect(await canConnect(host, Number(port)), host).toBe(false);
    // A request naming another host (DNS rebinding) is refused.
    expect((await rawRequest(server.url, { path: '/', headers: { Host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('serves the static folder with content types, SPA fallback and the CSP header', async () => {
    const index = await call('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(csp);
    expect(await index.text()).toContain('<title>DRPO Studio</title>');

    const js = await call('/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("app");');
    expect((await call('/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await call('/logo.svg')).headers.get('content-type')).toBe('image/svg+xml');

    // Client-side routes fall back to index.html; /api never does.
    for (const route of ['/runs/run-1', '/settings?tab=models', '/assets']) {
      const res = await call(route);
      expect(res.status, route).toBe(200);
      expect(await res.text()).toContain('<title>DRPO Studio</title>');
    }
    const api = await call('/api/call/runs/list', { method: 'POST', headers: authed(), body: '{}' });
    expect(api.headers.get('content-security-policy')).toBe(csp);
    expect(await api.json()).toEqual({ result: [] });
  });

  it('never serves a file outside the folder', async () => {
    for (const p of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..\\package.json',
      '/linked.json',
      '//../package.json',
    ]) {
      const res = await rawRequest(server.url, { path: p });
      expect(res.body, p).not.toContain('OUTSIDE-THE-FOLDER');
      expect([200, 400, 404], p).toContain(res.status);
    }
    expect((await rawRequest(server.url, { path: '/%00' })).status).toBe(400);
  });

  it('sends no CORS headers, not even to a preflight', async () => {
    const preflight = await call('/api/call/runs/list', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await call('/api/call/runs/list', {
      method: 'POST',
      headers: authed({ Origin: 'https://evil.example' }),
      body: '{}',
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('ends open event streams on close, unsubscribing them', async () => {
    const { id } = await fake.api.runs.start({ stage: 'icl', config: RUN_CONFIG });
    const errors: string[] = [];
    const client = createHttpStudioClient(server.url, server.token, {
      onSubscriptionError: (e) => errors.push(e.message),
    });
    client.runs.subscribe(id, 0, () => {});
    await until(() => expect(fake.active(id)).toBe(1));
    await server.close();
    expect(fake.unsubscribes).toBe(1);
    await until(() => expect(errors).toEqual(['The event stream ended']));
  });
});

describe('the IPC transport', () => {
  it('serves one `domain:method` channel per method, and removes them all on close', () => {
    const electron = fakeElectron(TRUSTED_URL);
    const server: IpcStudioApiServer = serveStudioApiOverIpc(createFakeStudio().api, electron.ipcMain, {
      isTrustedSender,
    });
    expect(server.channels).toEqual(
      Object.entries(API_METHODS).flatMap(([domain, methods]) => methods.map((m) => `${domain}:${m}`)),
    );
    expect(server.channels).toContain('connections:test');
    expect([...electron.handlers.keys()]).not.toContain('runs:subscribe');
    expect([...electron.listeners.keys()]).toEqual(
      Object.entries(SUBSCRIPTIONS).flatMap(([domain, methods]) => methods.map((m) => `${domain}:${m}`)),
    );
    server.close();
    expect(electron.handlers.size).toBe(0);
    expect(electron.listeners.size).toBe(0);
  });

  it('refuses an untrusted sender, calling nothing', async () => {
    const fake = createFakeStudio();
    const { id } = await fake.api.runs.start({ stage: 'icl', config: RUN_CONFIG });
    fake.emit(id, 'secret-event');
    fake.calls.length = 0;
    const electron = fakeElectron('https://evil.example/page.html');
    const server = serveStudioApiOverIpc(fake.api, electron.ipcMain, { isTrustedSender });
    const errors: string[] = [];
    const api = createIpcStudioClient(createIpcBridge(electron.ipcRenderer), {
      onSubscriptionError: (e) => errors.push(e.message),
    });
    try {
      await expect(api.runs.list()).rejects.toMatchObject({ code: 'forbidden', message: 'Refused: untrusted sender' });
      await expect(api.aspects.save({ aspects: [], staticAspects: [] })).rejects.toThrow(/untrusted sender/);
      const received: unknown[] = [];
      api.runs.subscribe(id, 0, (e) => received.push(e));
      await until(() => expect(errors).toEqual(['Refused: untrusted sender']));
      expect(received).toEqual([]);
      expect(fake.subscribes).toBe(0);
      expect(fake.calls).toEqual([]);
    } finally {
      server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed arguments and thrown errors: the same structured error over both transports.

/** Calls a method with any arguments at all, as a renderer bug or a hostile caller would. */
const loose = (fn: unknown) => fn as (...args: unknown[]) => Promise<unknown>;

describe.each([
  {
    transport: 'HTTP',
    async open(fake: FakeStudio) {
      const server = await serveStudioApi(fake.api, {});
      const errors: Error[] = [];
      const api = createHttpStudioClient(server.url, server.token, { onSubscriptionError: (e) => errors.push(e) });
      return { api, errors, close: () => server.close() };
    },
  },
  {
    transport: 'IPC',
    async open(fake: FakeStudio) {
      const electron = fakeElectron(TRUSTED_URL);
      const server = serveStudioApiOverIpc(fake.api, electron.ipcMain, { isTrustedSender });
      const errors: Error[] = [];
      const api = createIpcStudioClient(createIpcBridge(electron.ipcRenderer), {
        onSubscriptionError: (e) => errors.push(e),
      });
      return { api, errors, close: async () => server.close() };
    },
  },
])('argument checks and errors over $transport', ({ open }) => {
  let fake: FakeStudio;
  let h: Awaited<ReturnType<typeof open>>;
  beforeEach(async () => {
    fake = createFakeStudio();
    h = await open(fake);
  });
  afterEach(() => h.close());

  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('refuses malformed arguments with invalid-argument, naming the field, calling nothing', async () => {
    const cases: [() => Promise<unknown>, string, { path: string; message: string }[]][] = [
      [
        () => loose(h.api.runs.start)({ stage: 'system-prompt', config: 'beam, please' }),
        'runs.start: config: expected an object, got a string',
        [{ path: 'config', message: 'expected an object, got a string' }],
      ],
      [
        () => h.api.runs.start({ stage: 'system-prompt', config: { ...RUN_CONFIG, search: { width: 0 } } }),
        'runs.start: config.search.width: expected a whole number ≥ 1',
        [{ path: 'config.search.width', message: 'expected a whole number ≥ 1' }],
      ],
      [
        () => loose(h.api.runs.estimate)({ stage: 'final', config: { backends: {} } }),
        'runs.estimate: stage: expected one of: "system-prompt", "icl"; config.backends: define at least one backend',
        [
          { path: 'stage', message: 'expected one of: "system-prompt", "icl"' },
          { path: 'config.backends', message: 'define at least one backend' },
        ],
      ],
      [
        () => loose(h.api.runs.get)(42),
        'runs.get: id: expected a string, got a number',
        [{ path: 'id', message: 'expected a string, got a number' }],
      ],
      [
        () => loose(h.api.runs.get)(),
        'runs.get: expected 1 argument (id), got 0',
        [{ path: '', message: 'expected 1 argument (id), got 0' }],
      ],
      [
        () => loose(h.api.connections.save)('local', { settings: { model: 'm' } }),
        'connections.save: connection.plugin: expected a string, got nothing',
        [{ path: 'connection.plugin', message: 'expected a string, got nothing' }],
      ],
      [
        () => loose(h.api.datasets.save)({ name: 'seeds', kind: 'seed-queries', items: 'q1\nq2' }),
        'datasets.save: dataset.items: expected an array, got a string',
        [{ path: 'dataset.items', message: 'expected an array, got a string' }],
      ],
      [
        () =>
          loose(h.api.datasets.save)({ name: 'seeds', kind: 'seed-queries', items: [{ query: 'q' }, { answer: 'a' }] }),
        'datasets.save: dataset.items[1].query: expected a string, got nothing',
        [{ path: 'dataset.items[1].query', message: 'expected a string, got nothing' }],
      ],
    ];
    for (const [call, message, issues] of cases) {
      const error = (await rejection(call())) as StudioApiError;
      expect(error, message).toBeInstanceOf(StudioApiError);
      expect(error, message).toBeInstanceOf(Error);
      expect({ code: error.code, message: error.message, details: error.details }).toEqual({
        code: 'invalid-argument',
        message,
        details: { issues },
      });
    }
    expect(fake.calls).toEqual([]);
  });

  it('refuses a subscription with malformed arguments before it starts', async () => {
    const received: unknown[] = [];
    loose(h.api.runs.subscribe)(7, -1, (e: unknown) => received.push(e));
    await until(() => expect(h.errors).toHaveLength(1));
    expect(h.errors[0]).toBeInstanceOf(StudioApiError);
    expect(h.errors[0]).toMatchObject({
      code: 'invalid-argument',
      message: 'runs.subscribe: id: expected a string, got a number; fromSeq: expected a whole number ≥ 0',
    });
    expect(fake.subscribes).toBe(0);
    expect(received).toEqual([]);
  });

  it("passes a service's not-found and conflict on with their codes", async () => {
    expect(await rejection(h.api.experiments.get('e9'))).toMatchObject({
      code: 'not-found',
      message: 'No experiment with id "e9"',
    });
    expect(await rejection(h.api.experiments.resume('e1'))).toMatchObject({
      code: 'conflict',
      message: 'experiment e1 has finished',
    });
  });

  it('sends a thrown internal error as internal, with its message', async () => {
    // (What crosses the wire exactly, no stack in it, is checked below.)
    const error = (await rejection(h.api.secrets.set('KEY', 'value'))) as StudioApiError;
    expect(error).toBeInstanceOf(StudioApiError);
    expect({ code: error.code, message: error.message, details: error.details }).toEqual({
      code: 'internal',
      message: "Cannot read properties of undefined (reading 'encrypt')",
      details: undefined,
    });
  });
});

describe('what crosses the wire for an error', () => {
  it('is {code, message, details?} alone over HTTP, with the status of the code', async () => {
    const fake = createFakeStudio();
    const server = await serveStudioApi(fake.api, {});
    const post = (method: string, args: unknown[]) =>
      fetch(`${server.url}/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ args }),
      });
    try {
      const internal = await post('secrets/set', ['KEY', 'value']);
      expect(internal.status).toBe(500);
      expect(await internal.json()).toEqual({
        error: { code: 'internal', message: "Cannot read properties of undefined (reading 'encrypt')" },
      });
      const invalid = await post('runs/get', [42]);
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toEqual({
        error: {
          code: 'invalid-argument',
          message: 'runs.get: id: expected a string, got a number',
          details: { issues: [{ path: 'id', message: 'expected a string, got a number' }] },
        },
      });
      expect((await post('experiments/get', ['e9'])).status).toBe(404);
      expect((await post('experiments/resume', ['e1'])).status).toBe(409);
      const unknown = await post('runs/rewind', []);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: { code: 'not-found', message: 'Unknown method: runs.rewind' } });
    } finally {
      await server.close();
    }
  });

  it('is {code, message, details?} alone over IPC; an unknown channel has no handler at all', async () => {
    const fake = createFakeStudio();
    const electron = fakeElectron(TRUSTED_URL);
    const reported: unknown[] = [];
    const server = serveStudioApiOverIpc(fake.api, electron.ipcMain, {
      isTrustedSender,
      onError: (error) => reported.push(error),
    });
    const bridge = createIpcBridge(electron.ipcRenderer);
    try {
      expect(await bridge.invoke('secrets:set', 'KEY', 'value')).toEqual({
        ok: false,
        error: { code: 'internal', message: "Cannot read properties of undefined (reading 'encrypt')" },
      });
      // Only the unexpected reaches the log, with its stack.
      expect(reported).toHaveLength(1);
      expect((reported[0] as Error).stack).toMatch(/TypeError/);
      expect(await bridge.invoke('runs:get', 42)).toEqual({
        ok: false,
        error: {
          code: 'invalid-argument',
          message: 'runs.get: id: expected a string, got a number',
          details: { issues: [{ path: 'id', message: 'expected a string, got a number' }] },
        },
      });
      expect(reported).toHaveLength(1);
      // The preload forwards the API's own channels only, each as its kind; main has no handler for another either.
      for (const channel of [
        'runs:rewind',
        'runs:subscribe',
        '__proto__:toString',
        'runs:constructor',
        'ELECTRON_BROWSER_REQUIRE',
      ])
        await expect(bridge.invoke(channel), channel).rejects.toThrow(/is not a channel of the studio's API/);
      expect(() => bridge.subscribe('runs:list', [], () => {})).toThrow(/is not a channel of the studio's API/);
      expect(() => bridge.subscribe('toString', [], () => {})).toThrow(/is not a channel of the studio's API/);
      await expect(electron.ipcRenderer.invoke('runs:rewind')).rejects.toThrow(
        /No handler registered for 'runs:rewind'/,
      );
    } finally {
      server.close();
    }
  });
});
