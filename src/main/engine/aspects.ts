// The reward-aspect catalog is user-editable data (resources/aspects.json by default).

import { z } from 'zod';
import { readJsonFile } from '../data/jsonFiles.js';
import { resourcePath } from '../resourcePaths.js';
import type { AspectCatalog } from './types.js';

const catalogSchema = z.object({
  aspects: z
    .array(z.object({ name: z.string().min(1), description: z.string().min(1), enabled: z.boolean().default(true) }))
    .min(1),
  staticAspects: z.array(z.string().min(1)).min(1),
});

export function loadAspectCatalog(file: string = resourcePath('aspects.json')): AspectCatalog {
  return validateAspectCatalog(readJsonFile(file, 'the aspect catalog'), file);
}

/** The catalog, or an error naming `where` and what is wrong (no aspects, duplicate names, …). */
export function validateAspectCatalog(raw: unknown, where: string): AspectCatalog {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid aspect catalog ${where}: ${z.prettifyError(parsed.error)}`);
  const keys = parsed.data.aspects.map((a) => aspectKey(a.name));
  const duplicate = parsed.data.aspects.find((a, i) => keys.indexOf(aspectKey(a.name)) !== i);
  if (duplicate) throw new Error(`invalid aspect catalog ${where}: the aspect "${duplicate.name}" appears twice`);
  if (!parsed.data.aspects.some((a) => a.enabled))
    throw new Error(`invalid aspect catalog ${where}: enable at least one aspect`);
  return parsed.data;
}

/** Aspect names compare loosely: "critical thinking", "Critical-Thinking" and "critical_thinking" are one aspect. */
export function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findAspect(catalog: AspectCatalog, name: string) {
  const key = aspectKey(name);
  return catalog.aspects.find((a) => aspectKey(a.name) === key);
}

/** "- Name: description" lines, as the meta-prompts show them; aspects new to the catalog say where they came from. */
export function renderAspectList(catalog: AspectCatalog, names: readonly string[]): string {
  return names
    .map(
      (name) =>
        `- ${name}: ${findAspect(catalog, name)?.description ?? 'An aspect proposed by the aspect selector for this query.'}`,
    )
    .join('\n');
}

export function enabledAspects(catalog: AspectCatalog) {
  return catalog.aspects.filter((a) => a.enabled);
}
