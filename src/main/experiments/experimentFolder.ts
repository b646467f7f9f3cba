// An experiment on disk: <experimentsDir>/<id>/ with config.json (the config, the setups resolved
// to text and the ids of the items judged), items.json (those items as they were: editing the
// evaluation set later never changes a stopped experiment), events.jsonl (the log), and once
// finished result.json, judgements.jsonl and tables/ (Markdown and CSV).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonFile } from '../data/jsonFiles.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { newRunId } from '../store/runFolder.js';
import { RunLog } from '../store/runLog.js';
import { type EvalItem, parseEvalItems, readEvalSet, selectEvalItems, toEvalRecord } from './evalSet.js';
import { type ExperimentConfig, normalizeExperimentConfig } from './experimentConfig.js';
import { type ResolvedSetup, resolveSetup } from './setups.js';

export interface ExperimentFolder {
  dir: string;
  id: string;
  config: ExperimentConfig;
  setups: ResolvedSetup[];
  items: EvalItem[];
  log: RunLog;
  resumed: boolean;
}

interface SavedExperiment {
  config: ExperimentConfig;
  setups: ResolvedSetup[];
  itemIds: string[];
}

export function createExperimentFolder(config: ExperimentConfig): ExperimentFolder {
  const { evalSet } = config;
  const items = selectEvalItems(readEvalSet(evalSet.file), evalSet, evalSet.file);
  const setups = config.setups.map(resolveSetup);
  const id = newRunId('experiment');
  const dir = path.join(config.experimentsDir, id);
  makePrivateDir(dir);
  const saved: SavedExperiment = { config, setups, itemIds: items.map((i) => i.id) };
  writeFileAtomic(path.join(dir, 'items.json'), `${JSON.stringify(items.map(toEvalRecord))}\n`);
  writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify(saved, null, 2)}\n`);
  return { dir, id, config, setups, items, log: new RunLog(path.join(dir, 'events.jsonl')), resumed: false };
}

export function openExperimentFolder(dir: string): ExperimentFolder {
  const file = path.join(dir, 'config.json');
  if (!existsSync(file)) throw new Error(`${dir} is not an experiment folder (no config.json)`);
  const saved = readJsonFile(file) as SavedExperiment;
  if (!saved.setups || !saved.itemIds)
    throw new Error(`${dir} is not an experiment folder (its config.json has no setups)`);
  // Folders written before userDataDir left the config may hold one: the host's own folder serves them now.
  const { userDataDir: _ignored, ...savedConfig } = saved.config as ExperimentConfig & { userDataDir?: unknown };
  const config = normalizeExperimentConfig(savedConfig, savedConfig.baseDir);
  const itemsFile = path.join(dir, 'items.json');
  if (!existsSync(itemsFile)) throw new Error(`${dir} has no items.json: the experiment was not fully created`);
  const items = parseEvalItems(readJsonFile(itemsFile), itemsFile);
  if (items.map((i) => i.id).join('\n') !== saved.itemIds.join('\n'))
    throw new Error(`${itemsFile} does not hold the items config.json names`);
  return {
    dir,
    id: path.basename(dir),
    config,
    setups: saved.setups,
    items,
    log: new RunLog(path.join(dir, 'events.jsonl')),
    resumed: true,
  };
}
