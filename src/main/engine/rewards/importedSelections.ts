// Published aspect selections (the reference's metrics_cache.json and icl_metrics_cache.json:
// `{query: {query_analysis?, aspects_selection: {reasoning, selected_aspects}}}`), imported so a
// run on the paper's seeds neither pays for them again nor picks other aspects. The file is read
// whole before any call: a damaged, hostile or huge one is an error naming it; an entry that
// cannot be used is listed (its query is then asked of the selector), never dropped in silence.
import { statSync } from 'node:fs';
import { z } from 'zod';
import { LIMITS } from '../../../shared/requestLimits.js';
import { readJsonFile } from '../../data/jsonFiles.js';
import type { AspectCatalog } from '../types.js';
import { interpretSelectionReply, type SelectionRules, type SelectionVerdict } from './selectionReply.js';

/** The largest selections file read (the reference's are about 100 KB). */
export const SELECTIONS_MAX_BYTES = LIMITS.importChars;

const entrySchema = z.object({
  query_analysis: z.unknown().optional(),
  aspects_selection: z.object({ reasoning: z.string(), selected_aspects: z.array(z.string()) }),
});

export interface ImportedSelections {
  file: string;
  /** The imported selection of this query (compared without surrounding white space), if usable. */
  find(query: string): SelectionVerdict | undefined;
  /** One line per entry that cannot be used: its query, and why. */
  unusable: string[];
  /** Entries in the file. */
  entries: number;
}

/** A query as a message quotes it: its first line, at most 80 characters. */
export function shortQuery(query: string): string {
  const line = query.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

const quoted = (query: string) => `"${shortQuery(query)}"`;

/**
 * Reads and checks a selections file against the catalog and the stage's rules (how many aspects,
 * whether aspects outside the catalog may be used): what the selector's own reply would have to pass.
 */
export function loadImportedSelections(
  file: string,
  catalog: AspectCatalog,
  rules: SelectionRules,
): ImportedSelections {
  const what = `the selections file ${file}`;
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read ${what}: ${code === 'ENOENT' ? 'it does not exist' : (code ?? String(error))}`);
  }
  if (size > SELECTIONS_MAX_BYTES)
    throw new Error(
      `${what} is ${(size / 2 ** 20).toFixed(1)} MiB; a selections file may be at most ${SELECTIONS_MAX_BYTES / 2 ** 20} MiB`,
    );
  const raw = readJsonFile(file, 'the selections file');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(
      `${what} is not a selections cache: expected an object {"<query>": {"aspects_selection": {"reasoning", "selected_aspects"}}}, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`,
    );
  const byQuery = new Map<string, SelectionVerdict>();
  const unusable: string[] = [];
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [query, entry] of entries) {
    const key = query.trim();
    const shape = entrySchema.safeParse(entry);
    const read = shape.success
      ? interpretSelectionReply(shape.data, catalog, rules)
      : ({ ok: false, error: z.prettifyError(shape.error).replace(/\s+/g, ' ') } as const);
    if (!key) unusable.push(`an entry has an empty query`);
    else if (byQuery.has(key)) unusable.push(`${quoted(query)} appears twice; the first entry is used`);
    else if (!read.ok) unusable.push(`${quoted(query)}: ${read.error}`);
    else byQuery.set(key, read.value);
  }
  if (byQuery.size === 0)
    throw new Error(
      entries.length === 0
        ? `${what} holds no selections`
        : `${what}: none of its ${entries.length} selections can be used (${unusable.slice(0, 3).join('; ')})`,
    );
  return { file, find: (query) => byQuery.get(query.trim()), unusable, entries: entries.length };
}

/** The warning that lists the entries a run could not use (at most ten, then how many more). */
export function unusableSelectionsWarning(imported: ImportedSelections): string | undefined {
  const { unusable } = imported;
  if (unusable.length === 0) return undefined;
  const listed = unusable.slice(0, 10).join('; ');
  const more = unusable.length > 10 ? `; and ${unusable.length - 10} more` : '';
  return `${unusable.length} of the ${imported.entries} selections in ${imported.file} cannot be used, so their queries are asked of the aspect selector: ${listed}${more}`;
}
