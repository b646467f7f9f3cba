// A server's profile (what it really does) as the host learns it: the key it is kept under, and
// one probe whose result is checked and kept.
import type { ModelClient, PluginManifest, ServerProfile } from '../../plugins/contract.js';
import { callKey } from '../llm/callCache.js';

/**
 * The server a backend's settings point at, as the profile store keys it: the plugin and a hash of
 * its settings (secrets as references); the config's folder only where a relative path could
 * depend on it.
 */
export function profileIdentity(
  pluginId: string,
  manifest: PluginManifest,
  settings: Record<string, unknown>,
  baseDir: string,
): string {
  const paths = manifest.settings.some((f) => f.type === 'path');
  return `${pluginId}:${callKey({ settings, ...(paths ? { baseDir } : {}) })}`;
}

/**
 * What the server really does, kept; a probe that fails (or a malformed profile) is said and kept
 * nowhere: the run goes on with what the plugin declares, and the next open probes again.
 */
export async function probeAndKeep(
  client: ModelClient,
  keep: (profile: ServerProfile) => Promise<ServerProfile>,
  warn: (message: string) => void,
): Promise<ServerProfile | undefined> {
  try {
    return await keep(await client.probe!(AbortSignal.timeout(60_000)));
  } catch (error) {
    warn(
      `could not probe what the server supports (${(error as Error).message.split('\n')[0]}); using what the plugin declares`,
    );
    return undefined;
  }
}
