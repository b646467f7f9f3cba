// An experiment on disk: <experimentsDir>/<id>/ with config.json (the config, the setups resolved
// to text, the judge's protocol with its templates' text, and the ids of the items judged), items.json (those items as they were: editing the
// evaluation set later never changes a stopped experiment), events.jsonl (the log), and once
// finished result.json, judgements.jsonl and tables/ (Markdown and CSV). Readers read it as it is;
// a writer (a session) takes the folder's lock before opening the log, as for a run folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonFile } from '../data/jsonFiles.js';
import type { Lock } from '../store/exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { newRunId, openFolderLog } from '../store/runFolder.js';
import type { RunLog } from '../store/runLog.js';
import { defaultUserDataDir } from '../store/settingsStore.js';
import { type EvalItem, parseEvalItems, readEvalSet, selectEvalItems, toEvalRecord } from './evalSet.js';
import { type ExperimentConfig, normalizeExperimentConfig } from './experimentConfig.js';
import { type JudgeProtocol, resolveJudgeProtocol, savedJudgeProtocol } from './judgeProtocol.js';
import { type ResolvedSetup, resolveSetup } from './setups.js';

/** An experiment folder as a reader sees it. */
export interface ExperimentFolderInfo {
  dir: string;
  id: string;
  config: ExperimentConfig;
  setups: ResolvedSetup[];
  items: EvalItem[];
  /** The judge's prompts, as resolved when the experiment was created. */
  judgeProtocol: JudgeProtocol;
}

/** An experiment folder opened for writing: its lock is held until `lock.release()` (runExperiment does it when it ends). */
export interface ExperimentFolder extends ExperimentFolderInfo {
  log: RunLog;
  /** The log already holds events: the experiment continues. */
  resumed: boolean;
  lock: Lock;
}

interface SavedExperiment {
  config: ExperimentConfig;
  setups: ResolvedSetup[];
  /** Absent from folders written before protocols existed. */
  judgeProtocol?: JudgeProtocol;
  itemIds: string[];
}

/**
 * A new experiment folder, opened for writing by `what` (who the lock names). just-eval's
 * templates are looked for in the host's `userDataDir` (default $DRPO_STUDIO_HOME or
 * ~/.drpo-studio) unless the config names them.
 */
export function createExperimentFolder(
  config: ExperimentConfig,
  what: string,
  userDataDir = defaultUserDataDir(),
): ExperimentFolder {
  const { evalSet } = config;
  const items = selectEvalItems(readEvalSet(evalSet.file), evalSet, evalSet.file);
  const setups = config.setups.map(resolveSetup);
  const judgeProtocol = resolveJudgeProtocol(config.judge, userDataDir);
  const id = newRunId('experiment');
  const dir = path.join(config.experimentsDir, id);
  makePrivateDir(dir);
  const saved: SavedExperiment = { config, setups, judgeProtocol, itemIds: items.map((i) => i.id) };
  writeFileAtomic(path.join(dir, 'items.json'), `${JSON.stringify(items.map(toEvalRecord))}\n`);
  writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify(saved, null, 2)}\n`);
  return { dir, id, config, setups, items, judgeProtocol, ...openFolderLog(dir, what) };
}

/** An experiment folder's config, setups and items, read without opening its log for writing. */
export function readExperimentFolder(dir: string): ExperimentFolderInfo {
  const file = path.join(dir, 'config.json');
  if (!existsSync(file)) throw new Error(`${dir} is not an experiment folder (no config.json)`);
  const saved = readJsonFile(file) as Partial<SavedExperiment> | null;
  if (!saved?.config || !Array.isArray(saved.setups) || !Array.isArray(saved.itemIds))
    throw new Error(`${file}: not an experiment's config (no config, setups or item ids)`);
  // Folders written before userDataDir left the config may hold one: the host's own folder serves them now.
  const { userDataDir: _ignored, ...savedConfig } = saved.config as ExperimentConfig & { userDataDir?: unknown };
  let config: ExperimentConfig;
  try {
    config = normalizeExperimentConfig(savedConfig, savedConfig.baseDir);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const itemsFile = path.join(dir, 'items.json');
  if (!existsSync(itemsFile)) throw new Error(`${dir} has no items.json: the experiment was not fully created`);
  const items = parseEvalItems(readJsonFile(itemsFile), itemsFile);
  if (items.map((i) => i.id).join('\n') !== saved.itemIds.join('\n'))
    throw new Error(`${itemsFile} does not hold the items config.json names`);
  const judgeProtocol = savedJudgeProtocol(saved.judgeProtocol, file);
  return { dir, id: path.basename(dir), config, setups: saved.setups, items, judgeProtocol };
}

/** Takes the folder's lock (or throws LockHeldError naming its holder), then opens its log for appending. */
export function openExperimentFolder(dir: string, what: string): ExperimentFolder {
  return { ...readExperimentFolder(dir), ...openFolderLog(dir, what) };
}
