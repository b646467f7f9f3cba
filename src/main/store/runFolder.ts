// A run on disk: <runsDir>/<id>/ with config.json (the resolved config), events.jsonl (the
// append-only log) and, once finished, result.json. Files that must never be half-written are
// written to a temporary name and renamed.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { normalizeConfig, type RunConfig } from '../config/runConfig.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { makePrivateDir, writeFileAtomic } from './privateFiles.js';
import { RunLog, type RunStage } from './runLog.js';

export interface RunFolder {
  dir: string;
  id: string;
  stage: RunStage;
  config: RunConfig;
  log: RunLog;
  resumed: boolean;
}

export function newRunId(stage: RunStage | 'experiment' | 'ablation', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${stamp}-${stage}-${randomBytes(3).toString('hex')}`;
}

export function createRunFolder(config: RunConfig, stage: RunStage): RunFolder {
  const id = newRunId(stage);
  const dir = path.join(config.runsDir, id);
  makePrivateDir(dir);
  writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify({ stage, config }, null, 2)}\n`);
  return { dir, id, stage, config, log: new RunLog(path.join(dir, 'events.jsonl')), resumed: false };
}

/** A run folder's stage and config, without opening its log (for readers that only need the config). */
export function readRunFolderConfig(dir: string): { stage: RunStage; config: RunConfig } {
  const configFile = path.join(dir, 'config.json');
  if (!existsSync(configFile)) throw new Error(`${dir} is not a run folder (no config.json)`);
  const saved = readJsonFile(configFile) as { stage: RunStage; config: RunConfig & { userDataDir?: unknown } };
  // Folders written before userDataDir left the config may hold one: the host's own folder serves them now.
  const { userDataDir: _ignored, ...config } = saved.config;
  return { stage: saved.stage, config: normalizeConfig(config, config.baseDir) };
}

export function openRunFolder(dir: string): RunFolder {
  const { stage, config } = readRunFolderConfig(dir);
  return { dir, id: path.basename(dir), stage, config, log: new RunLog(path.join(dir, 'events.jsonl')), resumed: true };
}

export function readResult<T>(dir: string): T | undefined {
  const file = path.join(dir, 'result.json');
  return existsSync(file) ? (readJsonFile(file) as T) : undefined;
}

export function writeResult(dir: string, result: unknown): void {
  writeFileAtomic(path.join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}
