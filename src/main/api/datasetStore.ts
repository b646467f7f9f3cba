// Datasets the user imports and edits (seed queries, ICL examples, evaluation sets), one JSON file
// each in <user data>/datasets. Imports accept every format the CLI reads, the paper's included.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readIclExamples, readSeedQueries } from '../data/dataFiles.js';
import { writeFileAtomic } from '../store/runFolder.js';
import type { DatasetDto, DatasetItem, DatasetKind, DatasetSummary } from '../../shared/studioApi.js';

const KINDS: readonly DatasetKind[] = ['seed-queries', 'icl-examples', 'eval-set'];

export class DatasetStore {
  constructor(private readonly dir: string) {}

  list(): DatasetSummary[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const { kind, items } = this.read(f.slice(0, -5));
        return { name: f.slice(0, -5), kind, items: items.length, updatedAt: statSync(path.join(this.dir, f)).mtimeMs };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): DatasetDto {
    return { name, ...this.read(name) };
  }

  /** The dataset's file: what a run config's data.seedQueries or data.iclExamples can point at. */
  file(name: string): string {
    const file = path.join(this.dir, `${checkName(name)}.json`);
    if (!existsSync(file)) throw new Error(`no dataset "${name}"`);
    return file;
  }

  import(name: string, kind: DatasetKind, fileName: string, content: string): DatasetSummary {
    checkName(name);
    if (!KINDS.includes(kind)) throw new Error(`a dataset is one of: ${KINDS.join(', ')}`);
    // The readers take files (their format follows the extension): parse a private copy.
    const scratch = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    try {
      const file = path.join(scratch, path.basename(fileName) || 'data.json');
      writeFileSync(file, content);
      const items: DatasetItem[] = kind === 'icl-examples' ? readIclExamples(file) : readSeedQueries(file);
      this.save({ name, kind, items });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return this.list().find((d) => d.name === name)!;
  }

  save(dataset: DatasetDto): void {
    checkName(dataset.name);
    if (!KINDS.includes(dataset.kind)) throw new Error(`a dataset is one of: ${KINDS.join(', ')}`);
    const items = dataset.items.filter((i) => i.query.trim());
    if (items.length === 0) throw new Error(`dataset "${dataset.name}" has no item with a query`);
    if (dataset.kind === 'icl-examples' && items.some((i) => !i.answer?.trim())) throw new Error(`every ICL example of "${dataset.name}" needs an answer`);
    mkdirSync(this.dir, { recursive: true });
    // Stored in the project's own formats, so runs read them as they are.
    const stored = dataset.kind === 'icl-examples' ? items.map((i) => ({ query: i.query, answer: i.answer!, ...(i.kind ? { kind: i.kind } : {}) })) : items.map((i) => ({ query: i.query, ...(i.category ? { category: i.category } : {}) }));
    writeFileAtomic(path.join(this.dir, `${dataset.name}.json`), `${JSON.stringify(stored, null, 2)}\n`);
    writeFileAtomic(path.join(this.dir, `${dataset.name}.kind`), dataset.kind);
  }

  remove(name: string): void {
    rmSync(this.file(name));
    rmSync(path.join(this.dir, `${name}.kind`), { force: true });
  }

  private read(name: string): { kind: DatasetKind; items: DatasetItem[] } {
    const file = this.file(name);
    const kindFile = path.join(this.dir, `${name}.kind`);
    const kind = (existsSync(kindFile) ? readFileSync(kindFile, 'utf8').trim() : 'seed-queries') as DatasetKind;
    const items: DatasetItem[] = kind === 'icl-examples' ? readIclExamples(file) : readSeedQueries(file);
    return { kind, items };
  }
}

function checkName(name: string): string {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) throw new Error(`a dataset name is letters, digits, '.', '_' and '-' (got "${name}")`);
  return name;
}
