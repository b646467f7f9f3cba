// `drpo-studio detect` through the built CLI (`npm run build` first): fake servers on free ports
// named with --address are listed with their models and context sizes; nothing is written
// without --save; --save NAME --pick stores exactly the chosen server; bad arguments exit 1.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../helpers/scriptedModel.js';
import { runCliAsync } from '../support/cliProcess.js';
import { FakeOllamaServer } from '../support/fakeOllamaServer.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import { closedPort } from '../support/pluginTestKit.js';

describe('drpo-studio detect', () => {
  const model = new ScriptedModel(() => 'Hi.');
  let ollama: FakeOllamaServer;
  let llamaCpp: FakeOpenAIServer;
  let closed: string;
  const work = mkdtempSync(path.join(tmpdir(), 'drpo-detect-cli-'));
  const userData = path.join(work, 'home');
  const settingsFile = path.join(userData, 'settings.json');
  const detect = (...args: string[]) => runCliAsync(['detect', '--user-data', userData, ...args], work);

  beforeAll(async () => {
    ollama = await FakeOllamaServer.start(model, {
      models: [
        { name: 'llama3.2:3b', contextLength: 131072, family: 'llama' },
        { name: 'gemma3:1b', contextLength: 32768, family: 'gemma3' },
      ],
    });
    llamaCpp = await FakeOpenAIServer.start(model, {
      modelId: 'tiny.gguf',
      maxModelLen: 2048,
      quirks: FakeOpenAIServer.llamaCppQuirks,
    });
    closed = `http://127.0.0.1:${await closedPort()}`;
  });

  afterAll(async () => {
    await ollama?.close();
    await llamaCpp?.close();
  });

  it('lists each server with its models and context sizes, and each silent address with why; writes nothing', async () => {
    const out = await detect('--address', ollama.url, '--address', llamaCpp.baseURL, '--address', closed);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      new RegExp(
        `^\\d+\\. ollama at ${ollama.url}: llama3\\.2:3b \\(context 131072\\), gemma3:1b \\(context 32768\\) — would save as ollama-llama3\\.2-3b$`,
        'm',
      ),
    );
    expect(out.stdout).toMatch(
      new RegExp(
        `^\\d+\\. llama\\.cpp at ${llamaCpp.origin}: tiny\\.gguf \\(context 2048\\), fake-embedding \\(context 2048\\) — would save as llama\\.cpp-tiny\\.gguf$`,
        'm',
      ),
    );
    expect(out.stdout).toContain(`-  ${closed}: nothing listens there (connection refused)\n`);
    expect(existsSync(userData)).toBe(false);
  });

  it('--save NAME --pick URL saves exactly that server, with the --model chosen', async () => {
    const out = await detect(
      '--address',
      ollama.url,
      '--address',
      llamaCpp.origin,
      '--save',
      'my-ollama',
      '--pick',
      `${ollama.url}/`,
      '--model',
      'gemma3:1b',
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`saved ollama at ${ollama.url} (model gemma3:1b) as connection "my-ollama"\n`);
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    expect(settings.connections).toEqual({
      'my-ollama': {
        plugin: 'ollama',
        settings: { host: ollama.url, model: 'gemma3:1b', numParallel: 1, requestTimeoutMs: 300000 },
      },
    });
    expect(settings.detectAddresses).toEqual([]);
  });

  it('--pick N takes the numbered server; an existing name is refused and the settings stay as they were', async () => {
    const listing = await detect('--address', llamaCpp.origin);
    const number = new RegExp(`^(\\d+)\\. llama\\.cpp at ${llamaCpp.origin}:`, 'm').exec(listing.stdout)![1]!;
    const out = await detect('--address', llamaCpp.origin, '--save', 'tiny', '--pick', number);
    expect(out.code).toBe(0);
    const saved = JSON.parse(readFileSync(settingsFile, 'utf8')).connections;
    expect(Object.keys(saved).sort()).toEqual(['my-ollama', 'tiny']);
    expect(saved.tiny).toMatchObject({ plugin: 'openai', settings: { baseURL: llamaCpp.baseURL, model: 'tiny.gguf' } });

    const before = readFileSync(settingsFile, 'utf8');
    const again = await detect('--address', llamaCpp.origin, '--save', 'tiny', '--pick', llamaCpp.origin);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'drpo-studio: a connection named "tiny" exists already; choose another name (or remove it first)\n',
    );
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
  });

  it('bad arguments exit 1 and write nothing', async () => {
    const before = readFileSync(settingsFile, 'utf8');
    const notUrl = await detect('--address', 'ftp://example.org');
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr).toBe(
      'drpo-studio: --address ftp://example.org: an address is http(s)://host:port and a path at most (no user, query or fragment)\n',
    );
    const withPassword = await detect('--address', 'http://admin:hunter2@127.0.0.1:11434');
    expect(withPassword.code).toBe(1);
    expect(withPassword.stderr).toContain('--address http://127.0.0.1:11434/: an address is');
    const pickAlone = await detect('--pick', '1');
    expect(pickAlone.code).toBe(1);
    expect(pickAlone.stderr).toContain('add --save NAME');
    const noSuch = await detect('--address', ollama.url, '--save', 'x', '--pick', 'http://127.0.0.1:9');
    expect(noSuch.code).toBe(1);
    expect(noSuch.stderr).toMatch(/--pick http:\/\/127\.0\.0\.1:9: no such server in the list/);
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);
  });

  it('--remember keeps the --address ones: a later detect probes them unasked', async () => {
    const remembered = await detect('--address', `${ollama.url}/v1`, '--remember');
    expect(remembered.code).toBe(0);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).detectAddresses).toEqual([ollama.url]);
    const later = await detect();
    expect(later.stdout).toContain(`ollama at ${ollama.url}: llama3.2:3b (context 131072)`);
  });
});
