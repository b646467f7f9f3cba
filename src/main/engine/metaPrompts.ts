// Meta-prompt templates (appendix E) are data in resources/prompts; this fills their [PLACEHOLDERS].
import { readTextFile } from '../data/jsonFiles.js';
import { resourcePath } from '../resourcePaths.js';

export type MetaPromptName =
  | 'aspect-selection'
  | 'reward'
  | 'icl-aspect-selection'
  | 'icl-reward'
  | 'system-prompt-transition'
  | 'icl-transition'
  | 'repair'
  | 'eval-regular'
  | 'eval-safety';

const loaded = new Map<string, string>();

export function loadMetaPrompt(name: MetaPromptName, dir?: string): string {
  const file = dir ? `${dir}/${name}.txt` : resourcePath('prompts', `${name}.txt`);
  let text = loaded.get(file);
  if (text === undefined) {
    // A promptsDir written before a template existed (the ICL critic's) names the file it lacks.
    text = readTextFile(file, 'the meta-prompt template').trimEnd();
    loaded.set(file, text);
  }
  return text;
}

/**
 * Replaces every `[NAME]` of `values` in one pass, so text inserted for one placeholder
 * (a user's query that happens to contain "[OUTPUT]") is never itself substituted.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const names = Object.keys(values);
  const missing = names.filter((n) => !template.includes(`[${n}]`));
  if (missing.length > 0) throw new Error(`template has no placeholder ${missing.map((n) => `[${n}]`).join(', ')}`);
  const pattern = new RegExp(`\\[(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\]`, 'g');
  return template.replace(pattern, (_, name: string) => values[name] ?? '');
}

/** The follow-up message that asks a model to correct an unusable structured reply. */
export function repairMessageFor(schemaHint: string, promptsDir?: string): (error: string) => string {
  return (error) => fillTemplate(loadMetaPrompt('repair', promptsDir), { ERROR: error, SCHEMA_HINT: schemaHint });
}
