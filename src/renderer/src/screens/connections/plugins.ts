// How the Connections screen names a backend plugin and says whether it can be used.
import type { PluginDto } from '../../../../shared/studioApi';

/** The embedded backend: the one a first connection is offered for. */
export const EMBEDDED_PLUGIN = 'llama-cpp';

export function usable(plugin: PluginDto): boolean {
  return plugin.enabled && !plugin.error;
}

export function unusableReason(plugin: PluginDto): string | null {
  if (plugin.error) return plugin.error;
  if (!plugin.enabled) return `disabled; enable it with: drpo-studio plugins enable ${plugin.id}`;
  return null;
}

export function pluginLabel(plugin: PluginDto): string {
  return plugin.name && plugin.name.toLowerCase() !== plugin.id && !plugin.name.includes('(')
    ? `${plugin.name} (${plugin.id})`
    : (plugin.name ?? plugin.id);
}
