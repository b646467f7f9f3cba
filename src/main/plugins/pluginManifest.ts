// A plugin's manifest.json, validated where it enters (built-in or user plugin alike).
import { z } from 'zod';
import { PLUGIN_API_VERSION, type PluginManifest } from '../../plugins/contract.js';

const settingField = z.object({
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a setting key is a plain identifier'),
  title: z.string().min(1),
  type: z.enum(['string', 'number', 'boolean', 'path', 'secret', 'string-list']),
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  description: z.string().optional(),
});

const capability = z.boolean();

export const manifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and dashes'),
  version: z.string().regex(/^\d+\.\d+\.\d+/, 'a version looks like 1.2.3'),
  apiVersion: z.number().int(),
  name: z.string().min(1),
  description: z.string().optional(),
  /** The module to import, relative to the plugin's folder (user plugins; default index.js). */
  main: z.string().optional(),
  capabilities: z.object({
    chat: capability,
    completion: capability,
    multipleSamples: capability,
    jsonSchema: capability,
    seed: capability,
    embeddings: capability,
    listModels: capability,
  }),
  settings: z.array(settingField),
});

export type ValidManifest = PluginManifest & { main?: string };

/** The manifest, or an error message that says what is wrong with it. */
export function validateManifest(raw: unknown): { ok: true; manifest: ValidManifest } | { ok: false; error: string } {
  // The version first: a plugin for another API may well have another manifest shape.
  const apiVersion = (raw as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === 'number' && apiVersion !== PLUGIN_API_VERSION) {
    return {
      ok: false,
      error: `written for plugin API ${apiVersion}; this studio speaks plugin API ${PLUGIN_API_VERSION}`,
    };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: `invalid manifest: ${z.prettifyError(parsed.error).replace(/\n\s*/g, ' ')}` };
  return { ok: true, manifest: parsed.data };
}
