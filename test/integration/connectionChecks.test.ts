// `drpo-studio test-connections` for what a server does rather than whether it answers (issue 13):
// a llama.cpp server's profile on its line; a server that follows no JSON field warned of (its
// replies would be parsed and repaired) but not failed; a completion-only plugin given the judge
// refused, naming the role, exit 1. Expected lines are written from the protocol and the README.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/plugins/contract.js';
import { allCapabilities } from '../helpers/scriptedModel.js';
import { runCli, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer, type FakeServerQuirks } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const TEXT_ONLY = { ...allCapabilities, chat: false, completion: true };

const ALL_ROLES = (backend: string) =>
  Object.fromEntries(['base', 'selector', 'judge', 'optimizer'].map((role) => [role, { backend }]));

describe('test-connections says what a server really does', () => {
  let work: string;
  let backing: ModelClient;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'drpo-checks-'));
    backing = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
  });
  afterAll(() => backing.dispose());

  async function check(quirks: FakeServerQuirks, name: string) {
    const server = await FakeOpenAIServer.start(backing, { quirks, maxModelLen: 2048 });
    try {
      const config = path.join(work, `${name}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          backends: { main: { plugin: 'openai', settings: { baseURL: server.baseURL, model: 'stories260K' } } },
          roles: ALL_ROLES('main'),
        }),
      );
      return await runCliAsync(['test-connections', '--config', config, '--user-data', path.join(work, name)], work);
    } finally {
      await server.close();
    }
  }

  it('a llama.cpp server: its profile on the line, exit 0', { timeout: 60_000 }, async () => {
    const out = await check(FakeOpenAIServer.llamaCppQuirks, 'llama');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout.trim()).toMatch(
      /^ok main: reachable, authenticated; model stories260K served; llama\.cpp server; JSON on chat: json_object \+ schema; n>1: no; usage in streams: yes/,
    );
  });

  it('a server that follows no JSON field: "JSON on chat: none" and a warning, not a failure', {
    timeout: 60_000,
  }, async () => {
    const out = await check({ ignoreJsonSchemaFormat: true, ignoreGuidedJson: true }, 'nojson');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const line = out.stdout.trim();
    expect(line).toMatch(/^ok main: .*JSON on chat: none; n>1: yes/);
    expect(line).toMatch(/warning: .*parsed and repaired/);
  });

  it('a completion-only plugin given the judge: refused, naming the role and what to do, exit 1', {
    timeout: 60_000,
  }, async () => {
    const userData = path.join(work, 'textonly-user');
    const plugin = path.join(userData, 'plugins', 'textonly');
    mkdirSync(plugin, { recursive: true });
    writeFileSync(
      path.join(plugin, 'manifest.json'),
      JSON.stringify({
        id: 'textonly',
        version: '1.0.0',
        apiVersion: 1,
        name: 'Raw completion only',
        main: 'index.js',
        capabilities: TEXT_ONLY,
        settings: [],
      }),
    );
    writeFileSync(
      path.join(plugin, 'index.js'),
      `export default { async create() { return {
        capabilities: ${JSON.stringify(TEXT_ONLY)},
        async generate() { return { texts: ['OK'], usage: { promptTokens: 1, completionTokens: 1 } }; },
        async dispose() {},
      }; } };\n`,
    );
    expect(runCli(['plugins', 'enable', 'textonly', '--user-data', userData], work).code).toBe(0);
    const config = path.join(work, 'textonly.json');
    writeFileSync(
      config,
      JSON.stringify({
        backends: { raw: { plugin: 'textonly', settings: {} } },
        roles: ALL_ROLES('raw'),
        promptFormat: 'drpo',
      }),
    );
    const out = await runCliAsync(['test-connections', '--config', config, '--user-data', userData], work);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    const line = out.stdout.trim();
    expect(line).toMatch(/^FAILED raw: reachable, authenticated; capabilities as the plugin declares; refused: /);
    expect(line).toMatch(/only does raw completion: .*judge.* chat; use a chat-capable backend/);
    expect(out.stdout + out.stderr).not.toMatch(/^\s+at /m);
  });
});
