// Run bundles are somebody else's files. Hostile ones, written here by hand: a bundle that names a
// foreign server for backends referring to the user's saved connection, key-store key and
// environment key; one that names a local file as its seed queries; one and a run config that
// name a foreign user-data folder with an enabled plugin; one with a literal key; damaged logs.
// Two fake OpenAI-compatible servers on 127.0.0.1 record every request: the foreign one must get
// none, the user's own (bound) one the run, and no key or local file may reach either.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src/main/api/studioService.js';
import { PluginRegistry } from '../../src/main/plugins/pluginRegistry.js';
import { EncryptedSecretStore, type StringEncryption } from '../../src/main/store/secretStore.js';
import { SettingsStore } from '../../src/main/store/settingsStore.js';
import type { ModelClient } from '../../src/plugins/contract.js';
import type { RunBundle } from '../../src/shared/studioApi.js';
import { StudioApiError } from '../../src/shared/studioApiError.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';
import scripted from '../support/plugins/scripted/index.js';

const USER_KEY = 'sk-user-own-7c1d9e';
const STORE_KEY = 'sk-user-store-3b8a0f';
const ENV_KEY = 'sk-user-env-5e2c4a';
const ENV_NAME = 'DRPO_BUNDLE_TEST_OPENAI_KEY';
const FILE_MARKER = 'PRIVATE-NOTES-MARKER-91f3';
const MODEL = 'gpt-test';

const standIn: StringEncryption = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(plain, 'utf8').reverse(),
  decryptString: (cipher) => Buffer.from(cipher).reverse().toString('utf8'),
};

/** A paused run's log, as another installation would have written it: started, one node, paused. */
function pausedRunEvents(): RunBundle['events'] {
  const ts = 1_700_000_000_000;
  return [
    { seq: 0, ts, type: 'run-started', stage: 'system-prompt', version: '1' },
    {
      seq: 1,
      ts: ts + 1,
      type: 'node',
      id: '0',
      parentId: null,
      level: 0,
      state: 'You are a helpful assistant.',
      action: 'initial',
      query: 'What is a prime number?',
    },
    { seq: 2, ts: ts + 2, type: 'run-cancelled', reason: 'paused' },
  ];
}

function bundle(config: Record<string, unknown>, events = pausedRunEvents()): RunBundle {
  return { format: 'drpo-studio-run-bundle', version: 1, stage: 'system-prompt', config, events };
}

/** Every text a server was sent: bodies and headers. */
const everythingSent = (server: FakeOpenAIServer): string => JSON.stringify(server.requests);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('an imported run bundle', () => {
  let backing: ModelClient;
  let foreign: FakeOpenAIServer;
  let own: FakeOpenAIServer;
  let userData: string;
  let service: StudioService;

  beforeAll(async () => {
    backing = await scripted.create({ latencyMs: 1 }, { baseDir: '.', log: () => {} });
    foreign = await FakeOpenAIServer.start(backing, { modelId: MODEL });
    own = await FakeOpenAIServer.start(backing, { modelId: MODEL, apiKey: USER_KEY });
    process.env[ENV_NAME] = ENV_KEY;
  });

  afterAll(async () => {
    delete process.env[ENV_NAME];
    await foreign?.close();
    await own?.close();
    await backing?.dispose();
  });

  beforeEach(async () => {
    userData = mkdtempSync(path.join(tmpdir(), 'drpo-bundle-'));
    process.env.DRPO_BUNDLE_TEST_OWN_KEY = USER_KEY;
    const store = await SettingsStore.open(userData);
    await store.update((s) => {
      // The user's own saved connections: the one to bind to, and one a bundle names.
      s.connections.mine = {
        plugin: 'openai',
        settings: { baseURL: own.baseURL, model: MODEL, apiKey: 'env:DRPO_BUNDLE_TEST_OWN_KEY' },
      };
      s.connections.work = {
        plugin: 'openai',
        settings: { baseURL: own.baseURL, model: MODEL, apiKey: `env:${ENV_NAME}` },
      };
    });
    const secrets = new EncryptedSecretStore(path.join(userData, 'secrets.json'), standIn);
    secrets.set('OPENAI_KEY', STORE_KEY);
    service = createStudioService({ userDataDir: userData, secrets });
    foreign.requests.length = 0;
    own.requests.length = 0;
  });

  afterEach(async () => {
    await service.close();
  });

  it("sends nothing to the server it names, nor any of the user's keys or files, until bound; then runs on the user's connection", async () => {
    const { api } = service;
    const notes = path.join(userData, 'notes.txt');
    writeFileSync(notes, `${FILE_MARKER}: the launch codes are in the drawer\n`);
    const hostile = bundle({
      backends: {
        // A saved connection of the user's, with the bundle's settings merged over it.
        viaConnection: { connection: 'work', settings: { baseURL: foreign.baseURL } },
        viaStore: {
          plugin: 'openai',
          settings: { baseURL: foreign.baseURL, model: MODEL, apiKey: 'store:OPENAI_KEY' },
        },
        viaEnv: { plugin: 'openai', settings: { baseURL: foreign.baseURL, model: MODEL, apiKey: `env:${ENV_NAME}` } },
      },
      roles: {
        base: { backend: 'viaConnection', maxTokens: 64 },
        selector: { backend: 'viaStore' },
        judge: { backend: 'viaEnv' },
        optimizer: { backend: 'viaEnv' },
      },
      search: { width: 1, samples: 1, depth: 2 },
      data: { seedQueries: notes },
      runsDir: '/tmp/somewhere-else',
      cacheDir: '/tmp/somewhere-else/cache',
      baseDir: '/home/someone',
    });
    const { id } = await api.runs.importBundle(hostile);

    // Viewable at once; the backends wait for a connection.
    const detail = await api.runs.get(id);
    expect(detail.status).toBe('paused');
    expect(detail.tree.map((n) => n.id)).toEqual(['0']);
    expect(detail.needsConnection).toEqual([
      { backend: 'viaConnection' },
      { backend: 'viaStore', plugin: 'openai' },
      { backend: 'viaEnv', plugin: 'openai' },
    ]);
    const config = detail.config as {
      backends: Record<string, unknown>;
      data: { seedQueries: string[] };
      runsDir: string;
      cacheDir: string;
      baseDir: string;
    };
    expect(config.backends.viaStore).toMatchObject({ needsConnection: true, plugin: 'openai', settings: {} });
    expect(JSON.stringify(config)).not.toContain(foreign.baseURL);
    expect(JSON.stringify(config)).not.toContain(notes);
    expect(config.data.seedQueries).toHaveLength(1);
    expect(config.data.seedQueries[0]).toMatch(/resources[/\\]seed-queries\.json$/);
    expect([config.runsDir, config.cacheDir, config.baseDir]).toEqual([
      path.join(userData, 'runs'),
      path.join(userData, '.drpo-cache'),
      userData,
    ]);

    // Resume and fork are refused, naming what needs a connection.
    const refusal = /"viaConnection", "viaStore" \(openai\), "viaEnv" \(openai\) need a connection/;
    await expect(api.runs.resume(id)).rejects.toThrow(refusal);
    await expect(api.runs.resume(id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(api.runs.fork(id, '0')).rejects.toThrow(refusal);
    await expect(api.runs.bind(id, { viaStore: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.runs.bind(id, { other: 'mine' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await api.runs.bind(id, { viaStore: 'mine' });
    await expect(api.runs.resume(id)).rejects.toThrow(/"viaConnection", "viaEnv" \(openai\) need a connection/);

    await api.runs.bind(id, { viaConnection: 'mine', viaEnv: 'mine' });
    expect((await api.runs.get(id)).needsConnection).toBeUndefined();
    await api.runs.resume(id);
    await service.runs.settled(id);
    const resumed = await api.runs.get(id);
    expect(resumed.error).toBeUndefined();
    expect(resumed.status).toBe('finished');

    // The foreign server heard nothing; the user's own got the run, with the user's key.
    expect(foreign.requests).toEqual([]);
    expect(own.requests.length).toBeGreaterThan(0);
    expect(own.requests.every((r) => r.headers.authorization === `Bearer ${USER_KEY}`)).toBe(true);
    // The local file's contents reached no server; the starter data did.
    expect(everythingSent(own)).not.toContain(FILE_MARKER);
    expect(everythingSent(own)).not.toContain(STORE_KEY);
    expect(everythingSent(own)).not.toContain(ENV_KEY);
    // No key in the run's folder, nor in the bundle it exports now.
    for (const file of filesUnder(path.join(userData, 'runs'))) {
      const text = readFileSync(file, 'utf8');
      for (const key of [USER_KEY, STORE_KEY, ENV_KEY]) expect(text, file).not.toContain(key);
    }
    const exported = JSON.stringify(await api.runs.exportBundle(id));
    for (const key of [USER_KEY, STORE_KEY, ENV_KEY]) expect(exported).not.toContain(key);
  });

  it("never loads a foreign user-data folder's plugin or settings, named in a bundle or a run config", async () => {
    const { api } = service;
    const foreignHome = mkdtempSync(path.join(tmpdir(), 'drpo-foreign-home-'));
    const marker = path.join(foreignHome, 'plugin-was-loaded');
    mkdirSync(path.join(foreignHome, 'plugins/evil'), { recursive: true });
    writeFileSync(
      path.join(foreignHome, 'plugins/evil/manifest.json'),
      JSON.stringify({
        id: 'evil',
        version: '1.0.0',
        apiVersion: 1,
        name: 'Evil',
        main: 'index.js',
        capabilities: {
          chat: true,
          completion: true,
          multipleSamples: false,
          jsonSchema: false,
          seed: false,
          embeddings: false,
          listModels: false,
        },
        settings: [],
      }),
    );
    writeFileSync(
      path.join(foreignHome, 'plugins/evil/index.js'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'loaded');\nexport default { create() { throw new Error('evil'); } };\n`,
    );
    // The foreign folder enables its plugin and saves a "mine" that points at the foreign server.
    await (await SettingsStore.open(foreignHome)).update((s) => {
      s.enabledPlugins.push('evil');
      s.connections.mine = { plugin: 'openai', settings: { baseURL: foreign.baseURL, model: MODEL } };
    });
    const config = {
      backends: { main: { plugin: 'evil' } },
      search: { width: 1, samples: 1, depth: 1 },
      userDataDir: foreignHome,
    };

    // A run config naming it is refused, saying why; nothing is written.
    const started = api.runs.start({ stage: 'system-prompt', config } as never);
    await expect(started).rejects.toThrow(/userDataDir: is not a config key: settings, keys and plugins always come/);
    await expect(api.runs.start({ stage: 'system-prompt', config } as never)).rejects.toBeInstanceOf(StudioApiError);
    expect(existsSync(path.join(userData, 'runs'))).toBe(false);
    // An experiment config too.
    await expect(api.experiments.start({ config: { userDataDir: foreignHome } })).rejects.toThrow(/userDataDir/);

    // A bundle naming it is imported without it; bound, it runs on the studio's own "mine".
    const { id } = await api.runs.importBundle(bundle(config));
    expect((await api.runs.get(id)).needsConnection).toEqual([{ backend: 'main', plugin: 'evil' }]);
    await api.runs.bind(id, { main: 'mine' });
    await api.runs.resume(id);
    await service.runs.settled(id);
    expect((await api.runs.get(id)).status).toBe('finished');
    expect(existsSync(marker)).toBe(false);
    expect(foreign.requests).toEqual([]);
    expect(own.requests.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(userData, 'runs', id, 'config.json'), 'utf8')).not.toContain(foreignHome);
    // The fixture is live: its own folder's registry does load the plugin (and the marker appears).
    await new PluginRegistry({ userPluginsDir: path.join(foreignHome, 'plugins'), enabled: ['evil'] })
      .load('evil')
      .catch(() => undefined);
    expect(existsSync(marker)).toBe(true);
  });

  it("keeps a finished ICL run's examples from its result, never a file its result names", async () => {
    const { api } = service;
    const notes = path.join(userData, 'notes.json');
    writeFileSync(notes, JSON.stringify([{ query: FILE_MARKER, answer: FILE_MARKER }]));
    const ts = 1_700_000_000_000;
    const finished: RunBundle = {
      format: 'drpo-studio-run-bundle',
      version: 1,
      stage: 'icl',
      config: { backends: { main: { plugin: 'openai' } }, data: { iclExamples: notes } },
      events: [
        { seq: 0, ts, type: 'run-started', stage: 'icl', version: '1' },
        { seq: 1, ts, type: 'run-finished' },
      ],
      result: {
        stage: 'icl',
        status: 'finished',
        iclExamplesFile: notes,
        examples: [{ query: 'How do tides work?', before: 'Water.', after: 'The moon pulls the oceans.' }],
      },
    };
    const { id } = await api.runs.importBundle(finished);
    expect((await api.runs.get(id)).status).toBe('finished');
    const exported = await api.runs.export(id, 'messages');
    expect(exported).toContain('The moon pulls the oceans.');
    expect(exported).not.toContain(FILE_MARKER);
    await expect(
      api.runs.importBundle({ ...finished, result: { ...(finished.result as object), stage: 'system-prompt' } }),
    ).rejects.toThrow(/bundle: result\.bestPrompt: expected a string/);
  });

  it('refuses a bundle with a literal key, writing nothing', async () => {
    const { api } = service;
    const withKey = bundle({
      backends: { cloud: { plugin: 'openai', settings: { model: MODEL, apiKey: 'sk-live-literal-123' } } },
    });
    await expect(api.runs.importBundle(withKey)).rejects.toThrow(
      /bundle: backend "cloud": setting "apiKey" holds a secret written out/,
    );
    // A plugin unknown here: its setting's name gives the secret away.
    const unknownPlugin = bundle({ backends: { x: { plugin: 'elsewhere', settings: { token: 'tok-literal-456' } } } });
    await expect(api.runs.importBundle(unknownPlugin)).rejects.toThrow(/setting "token" holds a secret written out/);
    expect(filesUnder(path.join(userData, 'runs'))).toEqual([]);
  });

  it('refuses a damaged bundle, naming the line and the field', async () => {
    const { api } = service;
    const config = { backends: { main: { plugin: 'openai' } } };
    const wrongType = pausedRunEvents();
    wrongType[1] = { ...wrongType[1]!, level: 'zero' };
    await expect(api.runs.importBundle(bundle(config, wrongType))).rejects.toThrow(
      'bundle: event line 2: level: expected a number, got a string',
    );
    const noSeq = pausedRunEvents().map(({ seq: _seq, ...event }) => event) as never;
    await expect(api.runs.importBundle(bundle(config, noSeq))).rejects.toThrow(
      'bundle: event line 1: seq: expected a number, got nothing',
    );
    const skipped = pausedRunEvents().filter((e) => e.seq !== 1);
    await expect(api.runs.importBundle(bundle(config, skipped))).rejects.toThrow(
      "bundle: event line 2: seq: expected 1 (the lines' seqs run 0, 1, 2…), got 2",
    );
    const unknownType = [...pausedRunEvents(), { seq: 3, ts: 0, type: 'exec', command: 'rm -rf /' }];
    await expect(api.runs.importBundle(bundle(config, unknownType))).rejects.toThrow(/bundle: event line 4: type: /);
    await expect(api.runs.importBundle(bundle({ backends: {} }))).rejects.toThrow(
      /bundle: config\.backends: define at least one backend/,
    );
    expect(filesUnder(path.join(userData, 'runs'))).toEqual([]);
  });
});
