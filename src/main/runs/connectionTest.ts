// The connection test of `drpo-studio test-connections` and the studio's Test: for each backend,
// whether it opens, answers, takes the key (a 1-token generation: a model list may need none),
// serves the model its settings name, and what it really does (a fresh probe, kept as its
// profile). One line per backend; a failure is its error's message, never a stack.
import { asModelCallError, type ModelClient, type ModelInfo, type ServerProfile } from '../../plugins/contract.js';
import type { RunConfig } from '../config/runConfig.js';
import type { Backend } from '../llm/roleClient.js';
import { saveProfile } from '../store/serverProfiles.js';
import { defaultUserDataDir } from '../store/settingsStore.js';
import { type BackendHost, describeBackends, openNamedBackends } from './openBackends.js';
import { judgeRoleFitness } from './roleFitness.js';

export interface BackendCheck {
  backend: string;
  ok: boolean;
  /** What was found, or what failed, in one line. */
  line: string;
  models?: ModelInfo[];
  profile?: ServerProfile;
}

const TEST_TIMEOUT_MS = 30_000;

/** The error's own words, one line, with what it says of the backend. */
function failure(step: string, error: unknown): string {
  const known = asModelCallError(error);
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  const said: Record<string, string> = {
    connection: 'unreachable',
    timeout: 'not answering',
    auth: 'refused the key',
    'not-found': 'model or endpoint not found',
  };
  return `${known && said[known.kind] ? said[known.kind] : `${step} failed`}: ${message}`;
}

/** Ollama serves a name without a tag as its `:latest` (`llama3` is `llama3:latest` in its list). */
function sameModel(listed: string, named: string): boolean {
  return listed === named || (!named.includes(':') && listed === `${named}:latest`);
}

/** A 1-token reply: the one request that surely needs the key. */
function generateOne(client: ModelClient): Promise<unknown> {
  const input = client.capabilities.chat
    ? { kind: 'chat' as const, messages: [{ role: 'user' as const, content: 'Say OK.' }] }
    : { kind: 'text' as const, text: 'OK' };
  return client.generate({ input, temperature: 0, maxTokens: 1, n: 1 }, AbortSignal.timeout(TEST_TIMEOUT_MS));
}

async function checkOpened(backend: Backend, keep: (profile: ServerProfile) => Promise<ServerProfile>) {
  const { client, model } = backend;
  const found: string[] = [];
  let models: ModelInfo[] | undefined;
  if (client.listModels) {
    models = await client.listModels(AbortSignal.timeout(TEST_TIMEOUT_MS)).catch((error: unknown) => {
      throw new Error(failure('listing the models', error));
    });
    if (model && !models.some((m) => sameModel(m.id, model)))
      throw new Error(`model "${model}" not served (the server lists ${models.map((m) => m.id).join(', ') || 'none'})`);
    found.push(model ? `model ${model} served` : `${models.length} models`);
  }
  await generateOne(client).catch((error: unknown) => {
    throw new Error(failure('a 1-token generation', error));
  });
  found.unshift('reachable, authenticated');
  let profile: ServerProfile | undefined;
  if (client.probe) {
    profile = await client
      .probe(AbortSignal.timeout(4 * TEST_TIMEOUT_MS))
      .then(keep)
      .catch((error: unknown) => {
        throw new Error(failure('probing what the server does', error));
      });
    found.push(profile.summary);
  } else found.push('capabilities as the plugin declares');
  return { found, models, profile };
}

/** Tests one backend of `config`; with `roles`, also whether it can serve the roles the config gives it. */
export async function testBackend(
  config: RunConfig,
  name: string,
  host: BackendHost,
  roles = true,
): Promise<BackendCheck> {
  let opened: Awaited<ReturnType<typeof openNamedBackends>> | undefined;
  try {
    const [description] = await describeBackends(config, [name], host);
    const userDataDir = host.userDataDir ?? defaultUserDataDir(host.env ?? process.env);
    opened = await openNamedBackends(config, [name], { ...host, consumer: 'connection-test', probe: false });
    const backend = opened.byName.get(name)!;
    const { found, models, profile } = await checkOpened(backend, (probed) =>
      saveProfile(userDataDir, description!.profileKey, description!.pluginId, probed),
    );
    const fitness = roles
      ? judgeRoleFitness(config, 'system-prompt', [{ ...description!, ...(profile ? { profile } : {}) }])
      : { refusals: [], warnings: [] };
    const notes = [...fitness.refusals.map((r) => `refused: ${r}`), ...fitness.warnings.map((w) => `warning: ${w}`)];
    return {
      backend: name,
      ok: fitness.refusals.length === 0,
      line: `${name}: ${[...found, ...notes].join('; ')}`,
      ...(models ? { models } : {}),
      ...(profile ? { profile } : {}),
    };
  } catch (error) {
    return { backend: name, ok: false, line: `${name}: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
  } finally {
    await opened?.dispose();
  }
}

/** Tests every backend of the config, whether a role uses it or not, one after another. */
export async function testConnections(config: RunConfig, host: BackendHost): Promise<BackendCheck[]> {
  const checks: BackendCheck[] = [];
  for (const name of Object.keys(config.backends)) checks.push(await testBackend(config, name, host));
  return checks;
}
