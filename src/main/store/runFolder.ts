// A run on disk: <runsDir>/<id>/ with config.json (the resolved config), events.jsonl (the
// append-only log) and, once finished, result.json. Files that must never be half-written are
// written to a temporary name and renamed.
//
// Reading and writing open a folder differently. Readers (list, get, export, fork) read the config
// and the log as they are and change nothing: another process may be writing them. A writer (a
// run's session) first takes the folder's exclusive lock, then opens the log, which cuts off a
// line torn by a kill; the session lets the lock go when it ends.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { normalizeConfig, type RunConfig } from '../config/runConfig.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { catalogText, loadAspectCatalog } from '../engine/aspects.js';
import type { AspectCatalog } from '../engine/types.js';
import { acquireLock, type Lock } from './exclusiveLock.js';
import { makePrivateDir, writeFileAtomic } from './privateFiles.js';
import { RunLog, type RunStage } from './runLog.js';

/** A run folder as a reader sees it. */
export interface RunFolderInfo {
  dir: string;
  id: string;
  stage: RunStage;
  config: RunConfig;
}

/** A run folder opened for writing: its lock is held until `lock.release()` (runStage does it when it ends). */
export interface RunFolder extends RunFolderInfo {
  log: RunLog;
  /** The log already holds events: the run continues. */
  resumed: boolean;
  lock: Lock;
}

export function newRunId(stage: RunStage | 'experiment' | 'ablation', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${stamp}-${stage}-${randomBytes(3).toString('hex')}`;
}

/**
 * The aspect catalog a run uses, as it was when the run was created: the run reads this copy (a
 * resume too), so an edit of the user's catalog afterwards never changes what the run claims.
 * Folders made before the copy existed keep reading the path their config names.
 */
export const RUN_CATALOG_FILE = 'aspects.json';

/**
 * A new run folder, opened for writing by `what` (who the lock names: "drpo-studio optimize", "the
 * studio"), with its own copy of `catalog` (by default the one its config names, read and checked
 * before anything is written; null: none is known, as for a bundle that did not carry one).
 */
export function createRunFolder(
  config: RunConfig,
  stage: RunStage,
  what: string,
  catalog: AspectCatalog | null = loadAspectCatalog(config.reward.aspects),
): RunFolder {
  const id = newRunId(stage);
  const dir = path.join(config.runsDir, id);
  makePrivateDir(dir);
  // The copy first: a folder is a run once its config.json is there.
  if (catalog) writeFileAtomic(path.join(dir, RUN_CATALOG_FILE), catalogText(catalog));
  writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify({ stage, config }, null, 2)}\n`);
  return { dir, id, stage, config: withRunCatalog(config, dir), ...openFolderLog(dir, what) };
}

/** The config with its catalog the folder's own copy, where the folder has one. */
function withRunCatalog(config: RunConfig, dir: string): RunConfig {
  const copy = path.join(dir, RUN_CATALOG_FILE);
  return existsSync(copy) ? { ...config, reward: { ...config.reward, aspects: copy } } : config;
}

/** A run folder's stage and config, read without opening its log for writing. */
export function readRunFolder(dir: string): RunFolderInfo {
  const configFile = path.join(dir, 'config.json');
  if (!existsSync(configFile)) throw new Error(`${dir} is not a run folder (no config.json)`);
  const saved = readJsonFile(configFile) as {
    stage?: unknown;
    config?: RunConfig & { userDataDir?: unknown };
  } | null;
  if (saved?.stage !== 'system-prompt' && saved?.stage !== 'icl')
    throw new Error(`${configFile}: not a run's config (no stage "system-prompt" or "icl")`);
  if (typeof saved.config?.baseDir !== 'string') throw new Error(`${configFile}: not a run's config (no config)`);
  // Folders written before userDataDir left the config may hold one: the host's own folder serves them now.
  const { userDataDir: _ignored, ...config } = saved.config;
  try {
    const normalized = withRunCatalog(normalizeConfig(config, config.baseDir), dir);
    return { dir, id: path.basename(dir), stage: saved.stage, config: normalized };
  } catch (error) {
    throw new Error(`${configFile}: ${(error as Error).message}`);
  }
}

/** Takes the folder's lock (or throws LockHeldError naming its holder), then opens its log for appending. */
export function openRunFolder(dir: string, what: string): RunFolder {
  return { ...readRunFolder(dir), ...openFolderLog(dir, what) };
}

/**
 * A run's or an experiment's folder, locked by `what`, and its log opened for appending (a torn last line cut off).
 * Releasing the lock closes the log: whoever lets the folder go is done writing to it.
 */
export function openFolderLog(dir: string, what: string): { log: RunLog; resumed: boolean; lock: Lock } {
  const lock = acquireLock(dir, what);
  try {
    const log = new RunLog(path.join(dir, 'events.jsonl'));
    const release = (): void => {
      log.close();
      lock.release();
    };
    return { log, resumed: log.previous.length > 0, lock: { file: lock.file, release } };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function readResult<T>(dir: string): T | undefined {
  const file = path.join(dir, 'result.json');
  return existsSync(file) ? (readJsonFile(file) as T) : undefined;
}

export function writeResult(dir: string, result: unknown): void {
  writeFileAtomic(path.join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}
