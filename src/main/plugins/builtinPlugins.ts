// Backend plugins shipped with the studio, by id. Each is imported only when a run uses it, so
// a heavy runtime (node-llama-cpp) costs nothing to runs that don't.
import type { BackendPlugin } from '../../plugins/contract.js';

const BUILTIN_PLUGINS: Record<string, () => Promise<{ default: BackendPlugin }>> = {
  'llama-cpp': () => import('../../plugins/llama-cpp/index.js'),
};

export async function loadBackendPlugin(id: string): Promise<BackendPlugin> {
  const load = BUILTIN_PLUGINS[id];
  if (!load) throw new Error(`unknown backend plugin "${id}" (available: ${Object.keys(BUILTIN_PLUGINS).join(', ')})`);
  return (await load()).default;
}
