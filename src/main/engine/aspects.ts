// The reward-aspect catalogue is user-editable data (resources/aspects.json by default).

import { z } from 'zod';
import { readJsonFile } from '../data/jsonFiles.js';
import { resourcePath } from '../resourcePaths.js';
import type { AspectCatalogue } from './types.js';

const catalogueSchema = z.object({
  aspects: z
    .array(z.object({ name: z.string().min(1), description: z.string().min(1), enabled: z.boolean().default(true) }))
    .min(1),
  staticAspects: z.array(z.string().min(1)).min(1),
});

export function loadAspectCatalogue(file: string = resourcePath('aspects.json')): AspectCatalogue {
  return validateAspectCatalogue(readJsonFile(file, 'the aspect catalogue'), file);
}

/** The catalogue, or an error naming `where` and what is wrong (no aspects, duplicate names, …). */
export function validateAspectCatalogue(raw: unknown, where: string): AspectCatalogue {
  const parsed = catalogueSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid aspect catalogue ${where}: ${z.prettifyError(parsed.error)}`);
  const keys = parsed.data.aspects.map((a) => aspectKey(a.name));
  const duplicate = parsed.data.aspects.find((a, i) => keys.indexOf(aspectKey(a.name)) !== i);
  if (duplicate) throw new Error(`invalid aspect catalogue ${where}: the aspect "${duplicate.name}" appears twice`);
  if (!parsed.data.aspects.some((a) => a.enabled))
    throw new Error(`invalid aspect catalogue ${where}: enable at least one aspect`);
  return parsed.data;
}

/** Aspect names compare loosely: "critical thinking", "Critical-Thinking" and "critical_thinking" are one aspect. */
export function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findAspect(catalogue: AspectCatalogue, name: string) {
  const key = aspectKey(name);
  return catalogue.aspects.find((a) => aspectKey(a.name) === key);
}

/** "- Name: description" lines, as the meta-prompts show them; aspects new to the catalogue say where they came from. */
export function renderAspectList(catalogue: AspectCatalogue, names: readonly string[]): string {
  return names
    .map(
      (name) =>
        `- ${name}: ${findAspect(catalogue, name)?.description ?? 'An aspect proposed by the aspect selector for this query.'}`,
    )
    .join('\n');
}

export function enabledAspects(catalogue: AspectCatalogue) {
  return catalogue.aspects.filter((a) => a.enabled);
}
