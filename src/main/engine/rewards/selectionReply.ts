// Reading the aspect selector's reply (appendix E.1.2): 2–5 aspects (the ICL critic's 3–6) from
// the catalog, or new aspects the selector proposes, with its reasoning.

import { textSchema } from '../../llm/structuredCall.js';
import type { Interpretation } from '../../llm/structuredOutput.js';
import { aspectKey, enabledAspects, findAspect } from '../aspects.js';
import type { AspectCatalog } from '../types.js';

/** The longest aspect name a selector may propose on a backend that enforces schemas. */
export const ASPECT_NAME_MAX_CHARS = 40;

export interface SelectionRules {
  minAspects: number;
  maxAspects: number;
  allowNewAspects: boolean;
  /** Longest analysis or reasoning where the backend enforces the schema (`jsonTextMaxChars`); absent: none. */
  textMaxChars?: number;
}

export interface SelectionVerdict {
  aspects: string[];
  reasoning: string;
}

export function interpretSelectionReply(
  value: unknown,
  catalog: AspectCatalog,
  rules: SelectionRules,
): Interpretation<SelectionVerdict> {
  const selection = (value as { aspects_selection?: unknown } | null)?.aspects_selection as
    | { reasoning?: unknown; selected_aspects?: unknown }
    | undefined;
  if (!selection || typeof selection !== 'object') return { ok: false, error: '"aspects_selection" is missing' };
  const picked = selection.selected_aspects;
  if (!Array.isArray(picked) || !picked.every((a) => typeof a === 'string')) {
    return { ok: false, error: '"selected_aspects" must be an array of aspect names' };
  }
  const aspects: string[] = [];
  for (const raw of picked) {
    const name = raw.trim();
    if (!name) continue;
    const known = findAspect(catalog, name);
    if (known && !known.enabled) continue; // the user switched it off: never judged
    if (!known && !rules.allowNewAspects) return { ok: false, error: `"${name}" is not an aspect of the list` };
    const canonical = known?.name ?? name;
    if (!aspects.some((a) => aspectKey(a) === aspectKey(canonical))) aspects.push(canonical);
  }
  if (aspects.length < rules.minAspects || aspects.length > rules.maxAspects) {
    return {
      ok: false,
      error: `select between ${rules.minAspects} and ${rules.maxAspects} aspects (got ${aspects.length})`,
    };
  }
  const reasoning = typeof selection.reasoning === 'string' ? selection.reasoning : '';
  return { ok: true, value: { aspects, reasoning } };
}

export function selectionSchema(catalog: AspectCatalog, rules: SelectionRules) {
  // The analysis and reasoning are as long as the selector makes them unless the config caps them (the reference caps nothing);
  // a proposed aspect's name is capped, as a name, not a paragraph.
  const name = rules.allowNewAspects
    ? { type: 'string', maxLength: ASPECT_NAME_MAX_CHARS }
    : { type: 'string', enum: enabledAspects(catalog).map((a) => a.name) };
  const text = textSchema(rules.textMaxChars);
  return {
    type: 'object',
    properties: {
      query_analysis: {
        type: 'object',
        properties: { main_topic: text, user_intent: text, ambiguities: text, response_format: text, challenges: text },
        required: ['main_topic', 'user_intent', 'ambiguities', 'response_format', 'challenges'],
      },
      aspects_selection: {
        type: 'object',
        properties: {
          reasoning: text,
          selected_aspects: { type: 'array', items: name, minItems: rules.minAspects, maxItems: rules.maxAspects },
        },
        required: ['reasoning', 'selected_aspects'],
      },
    },
    required: ['query_analysis', 'aspects_selection'],
  };
}
