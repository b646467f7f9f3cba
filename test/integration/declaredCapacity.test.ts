// 'auto' starts from what the server declares: a llama.cpp server's GET /props says total_slots.
// A server that says nothing (404), says nonsense, or never answers leaves 'auto' to probe from 1;
// a pinned number is never raised by what a server says.

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { openNamedBackends } from '../../src/main/runs/openBackends.js';
import { listenOnLoopback } from '../support/listenOnLoopback.js';

const servers: Server[] = [];

/** A server whose GET /props answers `props` (undefined: 404; 'stall': never answers). */
let propsAsked = 0;

async function propsServer(props: unknown): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url === '/props') propsAsked++;
    if (request.url !== '/props' || props === undefined) {
      response.writeHead(404).end('{"error":"not found"}');
      return;
    }
    if (props === 'stall') return;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(props));
  });
  servers.push(server);
  return `http://127.0.0.1:${await listenOnLoopback(server)}/v1`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function openedLimit(baseURL: string, concurrency?: number | 'auto') {
  const config = normalizeConfig(
    {
      backends: {
        server: { plugin: 'openai', settings: { baseURL, model: 'm' }, ...(concurrency ? { concurrency } : {}) },
      },
    },
    tmpdir(),
  );
  const opened = await openNamedBackends(config, ['server'], {
    userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-capacity-')),
    env: {},
  });
  try {
    return opened.byName.get('server')!.scheduler.activity;
  } finally {
    await opened.dispose();
  }
}

describe("'auto' concurrency and what a server declares", () => {
  it("starts at a llama.cpp server's total_slots and says where the number came from", async () => {
    const activity = await openedLimit(await propsServer({ total_slots: 3, default_generation_settings: {} }));
    expect(activity).toMatchObject({
      mode: 'auto',
      limit: 3,
      reason: "the server's /props (total_slots 3) says the server serves 3 at a time",
    });
  });

  it('probes from 1 when the server says nothing, says nonsense or does not answer', async () => {
    for (const props of [undefined, { total_slots: 0 }, { total_slots: '4' }, ['x'], 'stall']) {
      const activity = await openedLimit(await propsServer(props));
      expect(activity).toMatchObject({ mode: 'auto', limit: 1 });
      expect(activity.reason).toMatch(/declares no capacity: probing from 1/);
    }
  });

  it('is the default, and a pinned number is not changed by what the server says', async () => {
    const baseURL = await propsServer({ total_slots: 8 });
    expect((await openedLimit(baseURL)).mode).toBe('auto');
    expect(await openedLimit(baseURL, 5)).toMatchObject({
      mode: 'fixed',
      limit: 5,
      reason: 'pinned at 5 by the config',
    });
  });

  it('asks the server once while its connection is in use: a second opener shares the scheduler as it is', async () => {
    const baseURL = await propsServer({ total_slots: 3 });
    const config = normalizeConfig(
      { backends: { server: { plugin: 'openai', settings: { baseURL, model: 'm' } } } },
      tmpdir(),
    );
    const host = { userDataDir: mkdtempSync(path.join(tmpdir(), 'drpo-capacity-')), env: {} };
    propsAsked = 0;
    const first = await openNamedBackends(config, ['server'], host);
    const second = await openNamedBackends(config, ['server'], host);
    try {
      expect(propsAsked).toBe(1);
      expect(second.byName.get('server')!.scheduler.activity).toMatchObject({ limit: 3, mode: 'auto' });
    } finally {
      await first.dispose();
      await second.dispose();
    }
    // Once nobody uses it, the next opener asks again.
    await (await openNamedBackends(config, ['server'], host)).dispose();
    expect(propsAsked).toBe(2);
  });
});
