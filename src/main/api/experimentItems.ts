// experiments.items and experiments.item: an experiment's answers item by item, read from its
// folder (itemRecords.ts) and served as a table (itemTable.ts). A folder's answers are read once
// per change of the file they come from: paging, filtering and sorting read nothing again.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ExperimentResult } from '../../shared/experimentTypes.js';
import type { ExperimentItemDetail, ExperimentItemPage, ExperimentItemQuery } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { parseEvalItems } from '../experiments/evalSet.js';
import { type ItemOutcomes, readJudgementsFile, readLogOutcomes } from '../experiments/itemRecords.js';
import { type ItemTableInput, itemCategories, itemDetail, queryItems } from '../experiments/itemTable.js';
import { readResult } from '../store/runFolder.js';
import { readPart } from './folderItems.js';

/** The setups and targets of an experiment, by name, as its config.json lists them. */
export interface ExperimentNames {
  setups: string[];
  targets: string[];
}

interface ReadItems extends ItemOutcomes {
  input: ItemTableInput;
  source: ExperimentItemPage['source'];
}

/** result.json's answers left without a score because a call failed for good. */
const failureList = z.array(
  z.looseObject({ setup: z.string(), target: z.string(), itemId: z.string(), error: z.string() }),
);

/** Folders whose answers are kept read (the ones being looked at). */
const KEPT = 4;

/** What changes when the file does (nothing when it is missing). */
const stamp = (file: string): string => {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${file}:${stat.mtimeMs}:${stat.size}` : `${file}: missing`;
};

export class ExperimentItems {
  private readonly cache = new Map<string, { stamp: string; read: ReadItems }>();

  page(dir: string, names: ExperimentNames, query: ExperimentItemQuery): ExperimentItemPage {
    const { compare, order = 'file' } = query;
    if (order !== 'file' && !compare)
      throw new StudioApiError(
        'invalid-argument',
        'experiments.items: ordering by the difference needs two setups to compare',
      );
    for (const setup of compare ? [compare.a, compare.b] : [])
      if (!names.setups.includes(setup))
        throw new StudioApiError(
          'invalid-argument',
          `experiments.items: no setup "${setup}" in this experiment (it has ${names.setups.join(', ')})`,
        );
    const read = this.read(dir, names);
    return {
      ...queryItems(read.input, query),
      items: read.input.items.length,
      setups: names.setups,
      targets: names.targets,
      categories: itemCategories(read.input.items),
      source: read.source,
      damaged: read.damaged,
    };
  }

  item(dir: string, names: ExperimentNames, itemId: string): ExperimentItemDetail {
    const read = this.read(dir, names);
    const item = read.input.items.find((i) => i.id === itemId);
    if (!item) throw new StudioApiError('not-found', `no item "${itemId}" in experiment ${path.basename(dir)}`);
    return { ...itemDetail(read.input, item), damaged: read.damaged };
  }

  private read(dir: string, names: ExperimentNames): ReadItems {
    const judgements = path.join(dir, 'judgements.jsonl');
    const finished = existsSync(judgements);
    const file = finished ? judgements : path.join(dir, 'events.jsonl');
    const itemsFile = path.join(dir, 'items.json');
    // An experiment that has logged nothing yet has no log: every answer is pending.
    const key = `${stamp(itemsFile)}\n${stamp(file)}`;
    const kept = this.cache.get(dir);
    if (kept?.stamp === key) return kept.read;

    const items = readPart(itemsFile, () => parseEvalItems(readJsonFile(itemsFile), itemsFile));
    const cells = { setups: names.setups, targets: names.targets, itemIds: new Set(items.map((i) => i.id)) };
    const resultFile = path.join(dir, 'result.json');
    const failures =
      finished && existsSync(resultFile)
        ? readPart(resultFile, () => failureList.parse(readResult<Partial<ExperimentResult>>(dir)?.failures ?? []))
        : [];
    const outcomes: ItemOutcomes = finished
      ? readPart(judgements, () => readJudgementsFile(judgements, cells, failures))
      : existsSync(file)
        ? readPart(file, () => readLogOutcomes(file, cells))
        : { outcomes: new Map(), damaged: [] };
    const read: ReadItems = {
      ...outcomes,
      input: { items, setups: names.setups, targets: names.targets, outcomes: outcomes.outcomes },
      source: finished ? 'judgements' : 'log',
    };
    this.cache.delete(dir);
    this.cache.set(dir, { stamp: key, read });
    if (this.cache.size > KEPT) this.cache.delete(this.cache.keys().next().value!);
    return read;
  }
}
