// Evaluation sets in just-eval-instruct's format: a JSON array (or JSONL) of items with an
// instruction, a split ("regular" items are judged on five aspects, "safety" items on safety)
// and tags to group results by. Subsets by split, tag or id, and seeded samples, so an
// experiment names exactly which items it judged and a resume judges the same ones.
import { parseJsonOrLines, readJsonOrLines, shuffled } from '../data/dataFiles.js';
import { writeFileAtomic } from '../store/privateFiles.js';

export type EvalSplit = 'regular' | 'safety';

export interface EvalItem {
  id: string;
  instruction: string;
  split: EvalSplit;
  /** Grouping dimension → values, e.g. { source: ["lima"], task: ["coding", "math"] }. */
  tags: Record<string, string[]>;
}

export interface EvalSelection {
  split?: 'all' | EvalSplit;
  /** Keep items with any of these tag values (in any dimension). */
  categories?: string[];
  ids?: (string | number)[];
  /** A seeded sample of this many items (after the filters above), kept in file order. */
  sample?: { size: number; seed: number };
}

/** Fields of the benchmark's items that group results, and the dimension each fills. */
const TAG_FIELDS: Record<string, string> = {
  dataset: 'source',
  source: 'source',
  task_type: 'task',
  topic: 'topic',
  tags: 'tag',
};

/** The benchmark's public copy (the file `../shared/reference/just-eval` was taken from). */
export const JUST_EVAL_URL = 'https://raw.githubusercontent.com/Re-Align/just-eval/main/example_data/example_data.json';

function asValues(value: unknown): string[] {
  if (typeof value === 'string' && value.trim()) return [value.trim()];
  if (Array.isArray(value)) return value.flatMap(asValues);
  return [];
}

export function parseEvalItems(raw: unknown, where: string): EvalItem[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: an evaluation set is a JSON array (or JSONL) of items`);
  const items = raw.map((entry, index): EvalItem => {
    const at = `${where}: item ${index}`;
    if (!entry || typeof entry !== 'object') throw new Error(`${at} is not an object`);
    const record = entry as Record<string, unknown>;
    const instruction = record.instruction ?? record.query ?? record.prompt;
    if (typeof instruction !== 'string' || !instruction.trim()) throw new Error(`${at} has no "instruction"`);
    const split = record.category ?? record.split ?? 'regular';
    if (split !== 'regular' && split !== 'safety')
      throw new Error(`${at}: category "${String(split)}" is neither "regular" nor "safety"`);
    const tags: Record<string, string[]> = {};
    for (const [field, dimension] of Object.entries(TAG_FIELDS)) {
      const values = asValues(record[field]);
      if (values.length > 0) tags[dimension] = [...new Set([...(tags[dimension] ?? []), ...values])];
    }
    return { id: String(record.id ?? index), instruction, split, tags };
  });
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new Error(`${where}: the id ${item.id} appears twice`);
    seen.add(item.id);
  }
  if (items.length === 0) throw new Error(`${where} holds no item`);
  return items;
}

/** An item in the benchmark's own format again (what parseEvalItems reads back to the same item). */
export function toEvalRecord(item: EvalItem): Record<string, unknown> {
  const record: Record<string, unknown> = { id: item.id, instruction: item.instruction, category: item.split };
  for (const [dimension, values] of Object.entries(item.tags)) {
    const field = Object.entries(TAG_FIELDS).find(([f, d]) => d === dimension && f !== 'dataset')?.[0];
    if (field) record[field] = values;
  }
  return record;
}

export function readEvalSet(file: string): EvalItem[] {
  return parseEvalItems(readJsonOrLines(file), file);
}

export function selectEvalItems(
  items: readonly EvalItem[],
  selection: EvalSelection,
  where = 'the evaluation set',
): EvalItem[] {
  let kept = items.filter((item) => !selection.split || selection.split === 'all' || item.split === selection.split);
  if (selection.categories?.length) {
    const wanted = new Set(selection.categories);
    kept = kept.filter((item) => Object.values(item.tags).some((values) => values.some((v) => wanted.has(v))));
  }
  if (selection.ids?.length) {
    const wanted = new Set(selection.ids.map(String));
    kept = kept.filter((item) => wanted.has(item.id));
  }
  if (selection.sample) {
    const chosen = new Set(shuffled(kept, selection.sample.seed).slice(0, selection.sample.size));
    kept = kept.filter((item) => chosen.has(item));
  }
  if (kept.length === 0) throw new Error(`${where}: no item is left after the selection ${JSON.stringify(selection)}`);
  return kept;
}

/** Downloads the benchmark from its public source and writes it to `file`, checking it reads as an evaluation set. */
export async function fetchEvalSet(
  file: string,
  url = JUST_EVAL_URL,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new Error(
      `cannot reach ${url}: ${(error as Error).message} (on a machine without internet, copy the file and pass it as evalSet.file)`,
    );
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const raw = parseJsonOrLines(await response.text(), url);
  const items = parseEvalItems(raw, url);
  writeFileAtomic(file, `${JSON.stringify(raw, null, 1)}\n`);
  return items.length;
}
