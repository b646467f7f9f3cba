// The reward-aspect catalog is user-editable data (resources/aspects.json by default). Each aspect
// has two texts: the short line the aspect selector reads (appendix E.1.2) and the anchored rubric
// the judge scores by (the reference judge's "A score of 5 indicates …, while a 1 suggests …").

import { z } from 'zod';
import { readJsonFile } from '../data/jsonFiles.js';
import { resourcePath } from '../resourcePaths.js';
import type { AspectCatalog } from './types.js';

const catalogSchema = z.object({
  aspects: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().min(1),
        // A blank rubric is no rubric (the studio's editor sends an empty field as '').
        rubric: z
          .string()
          .optional()
          .transform((r) => (r?.trim() ? r : undefined)),
        enabled: z.boolean().default(true),
      }),
    )
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
  const catalog: AspectCatalog = {
    aspects: parsed.data.aspects.map(({ rubric, ...a }) => (rubric === undefined ? a : { ...a, rubric })),
    staticAspects: parsed.data.staticAspects,
  };
  const keys = catalog.aspects.map((a) => aspectKey(a.name));
  const duplicate = catalog.aspects.find((a, i) => keys.indexOf(aspectKey(a.name)) !== i);
  if (duplicate) throw new Error(`invalid aspect catalog ${where}: the aspect "${duplicate.name}" appears twice`);
  if (!catalog.aspects.some((a) => a.enabled))
    throw new Error(`invalid aspect catalog ${where}: enable at least one aspect`);
  return catalog;
}

/** A catalog as its file is written (the user's edited catalog, a run's own copy, an export). */
export const catalogText = (catalog: AspectCatalog): string => `${JSON.stringify(catalog, null, 2)}\n`;

/**
 * Refuses an edited catalog in which an aspect has no rubric, unless `previous` (the catalog it
 * replaces) already had that aspect without one (a catalog written before rubrics existed): a new
 * aspect, or one whose rubric was cleared, must say what the judge scores it by.
 */
export function requireRubrics(catalog: AspectCatalog, previous: AspectCatalog, where: string): void {
  const grandfathered = new Set(previous.aspects.filter((a) => a.rubric === undefined).map((a) => aspectKey(a.name)));
  const missing = catalog.aspects.filter((a) => a.rubric === undefined && !grandfathered.has(aspectKey(a.name)));
  if (missing.length > 0)
    throw new Error(
      `invalid aspect catalog ${where}: ${missing.map((a) => `"${a.name}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no rubric — write the line the judge scores ${missing.length === 1 ? 'it' : 'each'} by (e.g. "A score of 5 indicates …, while a 1 suggests …")`,
    );
}

/** Aspect names compare loosely: "critical thinking", "Critical-Thinking" and "critical_thinking" are one aspect. */
export function aspectKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findAspect(catalog: AspectCatalog, name: string) {
  const key = aspectKey(name);
  return catalog.aspects.find((a) => aspectKey(a.name) === key);
}

const words = (name: string) =>
  name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * The catalog aspect whose texts describe `name`: the aspect itself, or, for a name the selector
 * made by renaming one ("Compliance with Instructions", "Cultural Sensitivity", as the reference's
 * ICL critic does), the one enabled aspect whose name it holds as whole words.
 */
function describingAspect(catalog: AspectCatalog, name: string) {
  const exact = findAspect(catalog, name);
  if (exact) return exact;
  const held = words(name).join(' ');
  const matches = enabledAspects(catalog).filter((a) => ` ${held} `.includes(` ${words(a.name).join(' ')} `));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * "- Name: text" lines, as the meta-prompts show them. The selector reads each aspect's short
 * description; the judge its rubric (the description where an aspect has none). Aspects new to
 * the catalog say where they came from.
 */
export function renderAspectList(
  catalog: AspectCatalog,
  names: readonly string[],
  reader: 'selector' | 'judge' = 'selector',
): string {
  return names
    .map((name) => {
      const aspect = describingAspect(catalog, name);
      const text = (reader === 'judge' ? aspect?.rubric : undefined) ?? aspect?.description;
      return `- ${name}: ${text ?? 'An aspect proposed by the aspect selector for this query.'}`;
    })
    .join('\n');
}

export function enabledAspects(catalog: AspectCatalog) {
  return catalog.aspects.filter((a) => a.enabled);
}
