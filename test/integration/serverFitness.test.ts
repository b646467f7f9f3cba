// The CLI against servers that are not what they seem: test-connections tells a refused key, a
// server that is down and a backend no role uses apart, one line each and no stack; a run whose
// judge answers prose pauses with the reason (exit 75), and its resume asks the judge again.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../../src/main/store/runLog.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import { purposeOf } from '../helpers/scriptedModel.js';
import { folderFrom, runCliAsync } from '../support/cliProcess.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const KEY = 'sk-right-4b5c6d';
const WRONG = 'sk-wrong-7e8f9a';

const openai = (baseURL: string, keyVar: string) => ({
  plugin: 'openai',
  settings: { baseURL, model: 'stories260K', apiKey: `env:${keyVar}` },
});

describe('servers that are not what they seem', () => {
  let work: string;
  let backing: ModelClient;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'drpo-fitness-'));
    backing = await scripted.create({ latencyMs: 0 }, { baseDir: work, log: () => {} });
  });
  afterAll(() => backing.dispose());

  it('test-connections checks every backend, one line each: a refused key and a server that is down fail, no stack', {
    timeout: 60_000,
  }, async () => {
    const server = await FakeOpenAIServer.start(backing, { apiKey: KEY });
    const gone = await FakeOpenAIServer.start(backing);
    const downURL = gone.baseURL;
    await gone.close();
    try {
      const config = path.join(work, 'connections.json');
      writeFileSync(
        config,
        JSON.stringify({
          backends: {
            main: openai(server.baseURL, 'DRPO_KEY'),
            spare: openai(server.baseURL, 'DRPO_KEY'), // no role uses it: tested all the same
            wrongkey: openai(server.baseURL, 'DRPO_WRONG_KEY'),
            down: openai(downURL, 'DRPO_KEY'),
          },
          roles: {
            base: { backend: 'main' },
            selector: { backend: 'main' },
            judge: { backend: 'main' },
            optimizer: { backend: 'main' },
          },
          cacheDir: null,
        }),
      );
      const out = await runCliAsync(
        ['test-connections', '--config', config, '--user-data', path.join(work, 'user')],
        work,
        { DRPO_KEY: KEY, DRPO_WRONG_KEY: WRONG },
      );
      expect(out.code, out.stderr).toBe(1);
      const lines = out.stdout.trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^ok main: reachable, authenticated; model stories260K served; /);
      expect(lines[1]).toMatch(/^ok spare: reachable, authenticated; model stories260K served; /);
      expect(lines[2]).toMatch(/^FAILED wrongkey: refused the key: /);
      expect(lines[3]).toMatch(/^FAILED down: unreachable: /);
      const all = out.stdout + out.stderr;
      expect(all).not.toMatch(/^\s+at /m); // no stack trace
      expect(all).not.toContain(WRONG);
      // The wrong key costs its model list (refused); each good backend a model list, a 1-token reply and
      // a probe, whose first request is the model list again (which server it is).
      expect(server.requestsTo('/v1/models').length).toBe(5);
    } finally {
      await server.close();
    }
  });

  it('a run whose judge answers prose pauses with the reason (exit 75); its resume asks the judge again', {
    timeout: 60_000,
  }, async () => {
    // A server that ignores the schema: every judgment (and its repair) in prose.
    const prose: ModelClient = {
      capabilities: backing.capabilities,
      generate: async (request, signal) =>
        ['judgement', 'repair'].includes(purposeOf(request))
          ? {
              texts: ['The answer is fine; I would give it a good mark.'],
              usage: { promptTokens: 9, completionTokens: 9 },
            }
          : backing.generate(request, signal),
      dispose: async () => {},
    };
    // It accepts a JSON schema and ignores it: the probe finds no field it follows.
    const server = await FakeOpenAIServer.start(prose, {
      apiKey: KEY,
      quirks: { ignoreJsonSchemaFormat: true, ignoreGuidedJson: true },
    });
    const userData = path.join(work, 'prose-user');
    const config = path.join(work, 'prose.json');
    writeFileSync(
      config,
      JSON.stringify({
        backends: { scripted: openai(server.baseURL, 'DRPO_KEY') },
        search: { width: 1, samples: 1, depth: 2 },
        cacheDir: null,
        runsDir: 'runs',
      }),
    );
    const env = { DRPO_KEY: KEY };
    try {
      const out = await runCliAsync(['optimize', '--config', config, '--user-data', userData], work, env);
      expect(out.code, out.stderr).toBe(75);
      const failures = out.stderr.split('\n').filter((l) => l.startsWith('drpo-studio:'));
      expect(failures).toEqual([
        expect.stringMatching(
          /^drpo-studio: paused: the judge's replies from backend "scripted" were not the JSON asked for in 1 of 1 call of level 0, even after a repair re-ask: the server does not follow the schema \(see drpo-studio test-connections\)/,
        ),
      ]);
      const dir = folderFrom(out.stderr);
      const judgeCalls = () =>
        readRunLog(path.join(dir, 'events.jsonl')).events.filter((e) => e.type === 'call' && e.role === 'judge');
      // The root's judgment and its repair re-ask.
      expect(judgeCalls()).toHaveLength(2);
      expect(readRunLog(path.join(dir, 'events.jsonl')).events.at(-1)).toMatchObject({
        type: 'run-paused',
        outages: [],
        renew: judgeCalls().map((e) => e.type === 'call' && e.key),
      });

      const resumed = await runCliAsync(['optimize', '--resume', dir, '--user-data', userData], work, env);
      expect(resumed.code, resumed.stderr).toBe(75);
      // Asked again, not replayed: two more judge calls, under new keys.
      const calls = judgeCalls();
      expect(calls).toHaveLength(4);
      expect(new Set(calls.map((e) => e.type === 'call' && e.key)).size).toBe(4);
    } finally {
      await server.close();
    }
  });
});
