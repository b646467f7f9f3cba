// Datasets the user imports and edits (seed queries, ICL examples, evaluation sets), one JSON file
// each in <user data>/datasets. Imports accept every format the CLI reads, the paper's included.
// Each is stored in the format its consumer reads, so a run or an experiment can use the file as it
// is: evaluation sets in just-eval-instruct's (id, split and grouping tags kept). Each file is read
// on its own: one that cannot be read is listed as damaged (the file and why) and can be removed.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATASET_KINDS } from '../../shared/apiSchemas.js';
import type { DatasetDto, DatasetItem, DatasetKind, DatasetSummary } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { readIclExamples, readSeedQueries } from '../data/dataFiles.js';
import { type EvalItem, readEvalSet } from '../experiments/evalSet.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { DamagedItemError, readItem, readPart } from './folderItems.js';

export class DatasetStore {
  constructor(private readonly dir: string) {}

  list(): DatasetSummary[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^[\w-][\w.-]*\.json$/.test(f))
      .map((f) => this.summary(f.slice(0, -5)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): DatasetDto {
    return { name, ...readItem('dataset', name, () => this.read(name)) };
  }

  kind(name: string): DatasetKind {
    this.file(name);
    const kindFile = path.join(this.dir, `${name}.kind`);
    if (!existsSync(kindFile)) return 'seed-queries';
    return readPart(kindFile, () => readFileSync(kindFile, 'utf8').trim()) as DatasetKind;
  }

  /** The dataset's file: what a run config's data.seedQueries or data.iclExamples, or an experiment's evalSet.file, can point at. */
  file(name: string): string {
    const file = path.join(this.dir, `${checkName(name)}.json`);
    if (!existsSync(file)) throw new StudioApiError('not-found', `no dataset "${name}"`);
    return file;
  }

  import(name: string, kind: DatasetKind, fileName: string, content: string): DatasetSummary {
    checkName(name);
    if (!DATASET_KINDS.includes(kind))
      throw new StudioApiError('invalid-argument', `a dataset is one of: ${DATASET_KINDS.join(', ')}`);
    // The readers take files (their format follows the extension): parse a private copy.
    const scratch = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    try {
      const file = path.join(scratch, path.basename(fileName) || 'data.json');
      writeFileSync(file, content, { mode: 0o600 });
      this.save({ name, kind, items: readUploaded(kind, file) });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return this.list().find((d) => d.name === name)!;
  }

  save(dataset: DatasetDto): void {
    checkName(dataset.name);
    if (!DATASET_KINDS.includes(dataset.kind))
      throw new StudioApiError('invalid-argument', `a dataset is one of: ${DATASET_KINDS.join(', ')}`);
    const items = dataset.items.filter((i) => i.query.trim());
    if (items.length === 0)
      throw new StudioApiError('invalid-argument', `dataset "${dataset.name}" has no item with a query`);
    if (dataset.kind === 'icl-examples' && items.some((i) => !i.answer?.trim()))
      throw new StudioApiError('invalid-argument', `every ICL example of "${dataset.name}" needs an answer`);
    makePrivateDir(this.dir);
    writeFileAtomic(
      path.join(this.dir, `${dataset.name}.json`),
      `${JSON.stringify(storedItems(dataset.kind, items, dataset.name), null, 2)}\n`,
    );
    writeFileAtomic(path.join(this.dir, `${dataset.name}.kind`), dataset.kind);
  }

  remove(name: string): void {
    // A damaged dataset may be a folder where its file should be.
    rmSync(this.file(name), { recursive: true });
    rmSync(path.join(this.dir, `${name}.kind`), { force: true });
  }

  private read(name: string): { kind: DatasetKind; items: DatasetItem[] } {
    const kind = this.kind(name);
    const file = this.file(name);
    return { kind, items: readPart(file, () => readItems(kind, file)) };
  }

  /** The dataset's summary; one whose file (or kind) cannot be read is listed as damaged. */
  private summary(name: string): DatasetSummary {
    const file = path.join(this.dir, `${name}.json`);
    const updatedAt = statSync(file).mtimeMs;
    let kind: DatasetKind = 'seed-queries';
    try {
      kind = this.kind(name);
      return { name, kind, items: this.read(name).items.length, updatedAt };
    } catch (error) {
      if (!(error instanceof DamagedItemError)) throw error;
      return { name, kind, items: 0, updatedAt, damaged: error.damaged };
    }
  }
}

/** An uploaded file's items; a file the readers refuse is the caller's error (invalid-argument). */
function readUploaded(kind: DatasetKind, file: string): DatasetItem[] {
  try {
    return readItems(kind, file);
  } catch (error) {
    throw new StudioApiError('invalid-argument', (error as Error).message);
  }
}

function readItems(kind: DatasetKind, file: string): DatasetItem[] {
  if (kind === 'icl-examples') return readIclExamples(file);
  if (kind === 'eval-set')
    return readEvalSet(file).map((item) => ({
      id: item.id,
      query: item.instruction,
      split: item.split,
      tags: item.tags,
    }));
  return readSeedQueries(file);
}

/** The just-eval field each grouping dimension is read back from (the inverse of evalSet.ts's reading). */
const EVAL_TAG_FIELDS: Record<string, string> = { source: 'source', task: 'task_type', topic: 'topic', tag: 'tags' };

function storedItems(kind: DatasetKind, items: DatasetItem[], name: string): unknown[] {
  if (kind === 'icl-examples')
    return items.map((i) => ({ query: i.query, answer: i.answer!, ...(i.kind ? { kind: i.kind } : {}) }));
  if (kind === 'seed-queries')
    return items.map((i) => ({ query: i.query, ...(i.category ? { category: i.category } : {}) }));
  // Evaluation sets: rows added in the studio get the next free number as their id.
  const given = items.map((i) => i.id).filter((id): id is string => id !== undefined);
  const twice = given.find((id, i) => given.indexOf(id) !== i);
  if (twice !== undefined) throw new StudioApiError('invalid-argument', `the id ${twice} appears twice in "${name}"`);
  const taken = new Set(given);
  let next = 0;
  return items.map((item) => {
    let id = item.id;
    if (id === undefined) {
      while (taken.has(String(next))) next++;
      id = String(next);
      taken.add(id);
    }
    const split: EvalItem['split'] = item.split ?? 'regular';
    if (split !== 'regular' && split !== 'safety')
      throw new StudioApiError('invalid-argument', `item ${id} of "${name}": the split is "regular" or "safety"`);
    const tags = Object.entries(item.tags ?? {}).map(([dimension, values]) => {
      const field = EVAL_TAG_FIELDS[dimension];
      if (!field)
        throw new StudioApiError(
          'invalid-argument',
          `item ${id} of "${name}": "${dimension}" is not a grouping an evaluation set keeps (${Object.keys(EVAL_TAG_FIELDS).join(', ')})`,
        );
      return [field, values] as const;
    });
    return { id, instruction: item.query, category: split, ...Object.fromEntries(tags) };
  });
}

function checkName(name: string): string {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
    throw new StudioApiError('invalid-argument', `a dataset name is letters, digits, '.', '_' and '-' (got "${name}")`);
  return name;
}
