// Experiments the studio starts, cancels and resumes, in this process, in <user data>/experiments.
// A cancel stops the experiment at once; its folder keeps every finished answer and judgment, so
// `resume` (now or after a restart) re-pays nothing. One that paused by itself because a backend is
// down is resumed by itself once the backend answers again (outageWatches.ts). Status and progress come from the
// experiment's own log, so they survive restarts too. Experiments are read one by one without
// writing anything (a damaged one is listed as such); a session and a remove hold the folder's lock.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ExperimentResult } from '../../shared/experimentTypes.js';
import type { Budget } from '../../shared/money.js';
import { hasFinished } from '../../shared/runStatus.js';
import type {
  ExperimentDetail,
  ExperimentItemDetail,
  ExperimentItemPage,
  ExperimentItemQuery,
  ExperimentProgress,
  ExperimentStatus,
  ExperimentSummary,
  ItemDescription,
  RunEventMessage,
} from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { normalizeExperimentConfig } from '../experiments/experimentConfig.js';
import {
  createExperimentFolder,
  type ExperimentFolder,
  openExperimentFolder,
  readExperimentFolder,
} from '../experiments/experimentFolder.js';
import { runExperiment } from '../experiments/experimentSession.js';
import { resolveJudgeProtocol } from '../experiments/judgeProtocol.js';
import { experimentTables } from '../experiments/tables.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { RunPausedError } from '../runs/backendOutage.js';
import type { ProbeTiming } from '../runs/backendProbe.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { metaFields, readItemMeta, writeItemMeta } from '../store/itemMeta.js';
import { readResult } from '../store/runFolder.js';
import { type LoggedEvent, readRunLog } from '../store/runLog.js';
import type { DatasetStore } from './datasetStore.js';
import { ExperimentItems, type ExperimentNames } from './experimentItems.js';
import { itemPath, listItems, openForWriting, readItem, readPart, removeItem } from './folderItems.js';
import { LiveSessions, lastFailure, stopFromLog } from './liveSessions.js';
import { OutageWatches } from './outageWatches.js';

const CANCELLED_BY_USER = 'cancelled by the user';
/** Who the studio's folder locks name. */
const STUDIO = 'the studio';

/** What an experiment folder's config.json holds that the list needs (no eval-set file is read). */
interface SavedExperiment {
  config: { setups: { name: string }[]; targets: { name: string }[] };
  itemIds: string[];
}

export class ExperimentManager {
  private readonly sessions = new LiveSessions();
  private readonly outages: OutageWatches;
  private readonly answers = new ExperimentItems();

  constructor(
    readonly experimentsDir: string,
    /** The studio's user-data folder: its settings and plugins serve the experiments, and relative paths in their configs resolve against it. */
    private readonly userDataDir: string,
    private readonly datasets: DatasetStore,
    /** The desktop app's key store, when there is one. */
    private readonly secrets?: SecretSource,
    /** How often a paused experiment's failing backends are probed (tests shorten it). */
    probeTiming?: ProbeTiming,
  ) {
    this.outages = new OutageWatches(probeTiming);
  }

  async start(rawConfig: Record<string, unknown>): Promise<string> {
    const config = this.normalize(rawConfig);
    // A refused setting (a literal API key) must fail here, before the experiment's folder is written.
    await checkBackendSettings(config, { userDataDir: this.userDataDir });
    const folder = createExperimentFolder(config, STUDIO, this.userDataDir);
    this.launch(folder);
    return folder.id;
  }

  /** Refused (`conflict`) at once, before anything runs, when it is running here or another process holds its folder. */
  resume(id: string, options: { budget?: Budget } = {}): void {
    if (this.sessions.isRunning(id)) throw new StudioApiError('conflict', `experiment ${id} is already running`);
    if (hasFinished(this.status(id, this.events(id))))
      throw new StudioApiError('conflict', `experiment ${id} has finished`);
    const dir = this.dir(id);
    // What the session needs (the items, the setups) is read first: a damaged folder is named, not launched.
    const file = path.join(dir, 'config.json');
    readItem('experiment', id, () => readPart(file, () => readExperimentFolder(dir)));
    this.launch(
      openForWriting(() => openExperimentFolder(dir, STUDIO)),
      options.budget,
    );
  }

  /** Stops a running experiment (resumable); a stopped one stays as it is. */
  async cancel(id: string): Promise<void> {
    this.dir(id);
    this.outages.forget(id);
    await this.sessions.stop(id, new Error(CANCELLED_BY_USER));
    if (hasFinished(this.status(id, this.events(id))))
      throw new StudioApiError('conflict', `experiment ${id} has finished`);
  }

  /** Deletes the experiment's folder, damaged or not; a running experiment (here or in a CLI process) is refused. */
  async remove(id: string): Promise<void> {
    if (this.sessions.isRunning(id))
      throw new StudioApiError('conflict', `experiment ${id} is running; cancel it before removing it`);
    this.outages.forget(id);
    removeItem(this.experimentsDir, id, 'experiment', STUDIO);
  }

  // Housekeeping (issue 16 item 4)
  /** Sets the experiment's name and/or notes in its meta.json (its config and log untouched). */
  async describe(id: string, description: ItemDescription): Promise<ItemDescription> {
    return writeItemMeta(this.dir(id), description, STUDIO);
  }

  /**
   * A new experiment of `id`'s config, started now, named "Copy of …". Its evaluation set is read
   * again with the same split and sample: items edited since are the copy's.
   */
  async duplicate(id: string): Promise<string> {
    const dir = this.dir(id);
    const file = path.join(dir, 'config.json');
    const { config } = readItem('experiment', id, () => readPart(file, () => readExperimentFolder(dir)));
    await checkBackendSettings(config, { userDataDir: this.userDataDir });
    const folder = createExperimentFolder(config, STUDIO, this.userDataDir);
    this.launch(folder);
    await writeItemMeta(folder.dir, { name: `Copy of ${readItemMeta(dir).meta.name || id}` }, STUDIO);
    return folder.id;
  }

  /** Waits for a running experiment to stop (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.sessions.settled(id);
  }

  async stopAll(): Promise<void> {
    this.outages.forgetAll();
    await this.sessions.stopAll(new Error('the studio is closing'));
  }

  /** Every experiment, newest first; a damaged one with status `damaged`, the file at fault and why. */
  list(): ExperimentSummary[] {
    return listItems(
      this.experimentsDir,
      (id) => this.summary(id, this.readEvents(id), this.readSaved(id)),
      (id, damaged, createdAt): ExperimentSummary => ({
        id,
        status: 'damaged',
        createdAt,
        items: 0,
        setups: [],
        targets: [],
        judged: 0,
        total: 0,
        damaged,
      }),
    ).sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): ExperimentDetail {
    return readItem('experiment', id, () => {
      const events = this.readEvents(id);
      const saved = this.readSaved(id);
      const progress = progressOf(saved, events);
      const resultFile = path.join(this.dir(id), 'result.json');
      const result = existsSync(resultFile)
        ? readPart(resultFile, () => readResult<ExperimentResult>(this.dir(id)))
        : undefined;
      return {
        summary: this.summary(id, events, saved, progress),
        config: saved.config,
        progress,
        ...(result ? { result, tables: experimentTables(result) } : {}),
      };
    });
  }

  subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void {
    return this.sessions.subscribe(id, path.join(this.dir(id), 'events.jsonl'), fromSeq, listener);
  }

  // Answers item by item (issue 16, items).
  /** A page of the experiment's items with each setup's score (experiments/itemTable.ts). */
  items(id: string, query: ExperimentItemQuery): ExperimentItemPage {
    return readItem('experiment', id, () => this.answers.page(this.dir(id), this.names(id), query));
  }

  /** One item with every setup × target answer and the judge's score and reason per aspect. */
  item(id: string, itemId: string): ExperimentItemDetail {
    return readItem('experiment', id, () => this.answers.item(this.dir(id), this.names(id), itemId));
  }

  private names(id: string): ExperimentNames {
    const { config } = this.readSaved(id);
    return { setups: config.setups.map((s) => s.name), targets: config.targets.map((t) => t.name) };
  }

  /** The checked config; what is wrong with it is the caller's: an invalid-argument error (a missing dataset stays not-found). */
  private normalize(rawConfig: Record<string, unknown>) {
    try {
      const config = normalizeExperimentConfig(
        { ...this.withDatasetFile(rawConfig), experimentsDir: this.experimentsDir },
        this.userDataDir,
      );
      // A judge protocol that cannot be had (just-eval asked for, its templates missing or broken) is the caller's error.
      resolveJudgeProtocol(config.judge, this.userDataDir);
      return config;
    } catch (error) {
      if (error instanceof StudioApiError) throw error;
      throw new StudioApiError('invalid-argument', (error as Error).message);
    }
  }

  /** `evalSet.dataset` names a saved evaluation set: its file is what the experiment reads. */
  private withDatasetFile(config: Record<string, unknown>): Record<string, unknown> {
    const evalSet = config.evalSet as Record<string, unknown> | undefined;
    if (evalSet?.dataset === undefined) return config;
    const { dataset, ...rest } = evalSet;
    if (rest.file !== undefined)
      throw new Error('invalid experiment config: give evalSet.file or evalSet.dataset, not both');
    if (typeof dataset !== 'string')
      throw new Error('invalid experiment config: evalSet.dataset is the name of a saved dataset');
    const kind = this.datasets.kind(dataset);
    if (kind !== 'eval-set')
      throw new Error(
        `dataset "${dataset}" holds ${kind}, not an evaluation set (import it as eval-set on the Datasets screen)`,
      );
    return { ...config, evalSet: { ...rest, file: this.datasets.file(dataset) } };
  }

  /** Runs the experiment, which lets the folder's lock go when it ends; a pause for failing backends is watched. */
  private launch(folder: ExperimentFolder, budget?: Budget): void {
    this.outages.forget(folder.id);
    const host = { secrets: this.secrets, userDataDir: this.userDataDir };
    this.sessions.launch(folder.id, (signal, onLogged) =>
      runExperiment(folder, { ...host, signal, onLogged, ...(budget ? { budget } : {}) }).catch((error) => {
        if (error instanceof RunPausedError)
          this.outages.watch(folder.id, folder.config, error.outages, host, () => this.resume(folder.id));
        throw error;
      }),
    );
  }

  private dir(id: string): string {
    return readItem('experiment', id, () => itemPath(this.experimentsDir, id, 'experiment'));
  }

  /** The folder's log as it is now (a line still being written left out); throws DamagedItemError. */
  private readEvents(id: string): LoggedEvent[] {
    const file = path.join(itemPath(this.experimentsDir, id, 'experiment'), 'events.jsonl');
    // An experiment that has logged nothing yet has no log.
    return existsSync(file) ? readPart(file, () => readRunLog(file).events) : [];
  }

  private events(id: string): LoggedEvent[] {
    return readItem('experiment', id, () => this.readEvents(id));
  }

  /** What the list needs of config.json (no eval-set file is read); throws DamagedItemError. */
  private readSaved(id: string): SavedExperiment {
    const file = path.join(itemPath(this.experimentsDir, id, 'experiment'), 'config.json');
    return readPart(file, () => {
      const saved = readJsonFile(file) as Partial<SavedExperiment> | null;
      if (
        !Array.isArray(saved?.itemIds) ||
        !Array.isArray(saved.config?.setups) ||
        !Array.isArray(saved.config.targets)
      )
        throw new Error("not an experiment's config (no item ids, setups or targets)");
      return saved as SavedExperiment;
    });
  }

  private status(id: string, events: readonly LoggedEvent[]): ExperimentStatus {
    if (this.sessions.isRunning(id)) return 'running';
    const { status, pause } = stopFromLog(events);
    // The user cannot pause an experiment: whatever else stopped it before the end (a cancel, a kill), `resume` continues it.
    return status === 'paused' && !pause ? 'cancelled' : status;
  }

  private summary(
    id: string,
    events: LoggedEvent[],
    saved: SavedExperiment,
    { judged, total } = progressOf(saved, events),
  ): ExperimentSummary {
    const status = this.status(id, events);
    const failure = lastFailure(events);
    const stop = status === 'running' ? undefined : stopFromLog(events);
    const meta = readItemMeta(itemPath(this.experimentsDir, id, 'experiment'));
    return {
      id,
      status,
      createdAt: events[0]?.ts ?? 0,
      items: saved.itemIds.length,
      setups: saved.config.setups.map((s) => s.name),
      targets: saved.config.targets.map((t) => t.name),
      judged,
      total,
      ...(status === 'failed' && failure !== undefined ? { error: failure } : {}),
      ...(stop?.pause ? { reason: stop.pause.reason, resumesWhenBack: this.outages.has(id) } : {}),
      ...(stop?.failed ? { failed: stop.failed } : {}),
      ...metaFields(meta.meta),
      ...(meta.damaged ? { metaDamaged: meta.damaged } : {}),
    };
  }
}

/** Answers, judgments and paid calls so far, overall and per setup on each target. */
function progressOf(saved: SavedExperiment, events: readonly LoggedEvent[]): ExperimentProgress {
  const items = saved.itemIds.length;
  const cells = saved.config.targets.flatMap((target) =>
    saved.config.setups.map((setup) => ({
      setup: setup.name,
      target: target.name,
      total: items,
      answered: 0,
      judged: 0,
      unjudged: 0,
      failed: 0,
    })),
  );
  const cellOf = (setup: string, target: string) => cells.find((c) => c.setup === setup && c.target === target);
  // A resumed experiment logs each answer and judgment once; still, count each item once.
  const seen = new Set<string>();
  // An item that failed in one session may be judged after a resume: its latest outcome counts.
  const failed = new Map<string, boolean>();
  let calls = 0;
  let costUsd = 0;
  for (const event of events) {
    if (event.type === 'call') {
      calls += event.requests;
      costUsd += event.costUsd;
      continue;
    }
    if (event.type === 'eval-failed' || event.type === 'eval-judged' || event.type === 'eval-unjudged')
      failed.set(JSON.stringify([event.setup, event.target, event.itemId]), event.type === 'eval-failed');
    if (event.type !== 'eval-answer' && event.type !== 'eval-judged' && event.type !== 'eval-unjudged') continue;
    const step = event.type === 'eval-answer' ? 'answered' : 'judged';
    const key = JSON.stringify([step, event.setup, event.target, event.itemId]);
    const cell = cellOf(event.setup, event.target);
    if (!cell || seen.has(key)) continue;
    seen.add(key);
    cell[step] += 1;
    if (event.type === 'eval-unjudged') cell.unjudged += 1;
  }
  for (const [key, lost] of failed) {
    const [setup, target] = JSON.parse(key) as [string, string];
    const cell = cellOf(setup, target);
    if (cell && lost) cell.failed += 1;
  }
  const sum = (field: 'answered' | 'judged' | 'unjudged' | 'failed') => cells.reduce((s, c) => s + c[field], 0);
  return {
    total: items * cells.length,
    answered: sum('answered'),
    judged: sum('judged'),
    unjudged: sum('unjudged'),
    failed: sum('failed'),
    calls,
    costUsd,
    cells,
  };
}
