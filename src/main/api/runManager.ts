// Runs the studio starts, pauses, resumes and cancels, in this process. A pause stops the run at
// once; its folder keeps every finished call, so `resume` (now or after a restart) re-pays
// nothing. A run that paused by itself because a backend is down is resumed by itself once the
// backend answers again (outageWatches.ts). Status comes from the run's own log, so it survives
// restarts too. Runs are read one by
// one without writing anything (a damaged one is listed as such); a session, a cancel and a remove
// hold the folder's lock, so a CLI process and the studio never write one folder at once.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Budget } from '../../shared/money.js';
import { hasFinished } from '../../shared/runStatus.js';
import { RunTree } from '../../shared/runTree.js';
import type {
  ImportTraceRequest,
  ItemDescription,
  RunBundle,
  RunDetail,
  RunEventMessage,
  RunSource,
  RunStatus,
  RunSummary,
  TreeNode,
} from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig, type RunConfig } from '../config/runConfig.js';
import { readJsonFile } from '../data/jsonFiles.js';
import { loadAspectCatalog } from '../engine/aspects.js';
import type { AspectCatalog } from '../engine/types.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { RunPausedError } from '../runs/backendOutage.js';
import type { ProbeTiming } from '../runs/backendProbe.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { importTrace, publishedTraceOf, readOnlyError } from '../runs/publishedTrace.js';
import { assertFit, roleFitness } from '../runs/roleFitness.js';
import { ICL_EXAMPLES_FILE } from '../runs/runResult.js';
import { runStage } from '../runs/runSession.js';
import { metaFields, readItemMeta, writeItemMeta } from '../store/itemMeta.js';
import { writeFileAtomic } from '../store/privateFiles.js';
import { checkRunEventLines } from '../store/runEventLines.js';
import {
  createRunFolder,
  openRunFolder,
  RUN_CATALOG_FILE,
  type RunFolder,
  type RunFolderInfo,
  readResult,
  readRunFolder,
  writeResult,
} from '../store/runFolder.js';
import { type LoggedEvent, type RunStage, readRunLog } from '../store/runLog.js';
import { SettingsStore } from '../store/settingsStore.js';
import { itemPath, listItems, openForWriting, readItem, readPart, removeItem } from './folderItems.js';
import {
  boundConfig,
  importedCatalog,
  importedConfig,
  importedResult,
  unboundBackends,
  unboundError,
} from './importedRuns.js';
import { LiveSessions, lastFailure, stopFromLog } from './liveSessions.js';
import { OutageWatches } from './outageWatches.js';

const CANCELLED_BY_USER = 'cancelled by the user';
/** Who the studio's folder locks name. */
const STUDIO = 'the studio';

export class RunManager {
  private readonly sessions = new LiveSessions();
  private readonly outages: OutageWatches;

  constructor(
    readonly runsDir: string,
    /** The studio's user-data folder: its settings and plugins serve the runs, and relative paths in their configs resolve against it. */
    private readonly userDataDir: string,
    /** The desktop app's key store, when there is one. */
    private readonly secrets?: SecretSource,
    /** How often a paused run's failing backends are probed (tests shorten it). */
    probeTiming?: ProbeTiming,
  ) {
    this.outages = new OutageWatches(probeTiming);
  }

  async start(stage: RunStage, rawConfig: Record<string, unknown>): Promise<string> {
    const config = normalizeConfig(rawConfig, this.userDataDir);
    // A refused setting (a literal API key) must fail here, before the run's folder is written.
    await checkBackendSettings(config, { userDataDir: this.userDataDir });
    assertFit(await roleFitness(config, stage, { userDataDir: this.userDataDir }));
    return this.startWith(stage, config);
  }

  /** A new run of `id`'s config whose initial system prompt is one of its nodes' prompts. */
  fork(id: string, nodeId: string): string {
    this.refuseReadOnly(id, 'forked');
    const source = this.folder(id);
    const unbound = unboundError(id, source.config);
    if (unbound) throw unbound;
    if (source.stage !== 'system-prompt')
      throw new StudioApiError(
        'conflict',
        `run ${id} optimizes ICL answers; only system-prompt runs can be forked from a node`,
      );
    const node = this.get(id).tree.find((n) => n.id === nodeId);
    if (!node) throw new StudioApiError('not-found', `run ${id} has no node ${nodeId}`);
    return this.startWith('system-prompt', { ...source.config, initialPrompt: node.state });
  }

  // Housekeeping (issue 16 item 4)
  /** Sets the run's name and/or notes in its meta.json (its config and log untouched, so a running run can be named). */
  async describe(id: string, description: ItemDescription): Promise<ItemDescription> {
    return writeItemMeta(this.dir(id), description, STUDIO);
  }

  /** A new run of `id`'s stage and config, started now (what fork does from the root), named "Copy of …". */
  async duplicate(id: string): Promise<string> {
    this.refuseReadOnly(id, 'duplicated');
    const source = this.folder(id);
    const unbound = unboundError(id, source.config);
    if (unbound) throw unbound;
    const copy = this.startWith(source.stage, source.config);
    await writeItemMeta(this.dir(copy), { name: `Copy of ${readItemMeta(source.dir).meta.name || id}` }, STUDIO);
    return copy;
  }

  exportBundle(id: string): RunBundle {
    const folder = this.folder(id);
    const events = this.events(id) as unknown as RunEventMessage[];
    const result = readResult(folder.dir);
    const catalog = this.recordedCatalog(folder.dir);
    return {
      format: 'drpo-studio-run-bundle',
      version: 1,
      stage: folder.stage,
      config: folder.config,
      events,
      ...(result ? { result } : {}),
      ...(catalog ? { catalog } : {}),
    };
  }

  /**
   * A bundle from another installation becomes a run folder here (a new id; the log as it was, each
   * line checked), viewable at once; its config is rebuilt inert (importedRuns.ts) until `bind`.
   */
  async importBundle(bundle: RunBundle): Promise<string> {
    if (bundle?.format !== 'drpo-studio-run-bundle' || bundle.version !== 1)
      throw new StudioApiError('invalid-argument', 'not a DRPO Studio run bundle (version 1)');
    if (bundle.stage !== 'system-prompt' && bundle.stage !== 'icl')
      throw new StudioApiError('invalid-argument', `unknown stage "${String(bundle.stage)}"`);
    if (!Array.isArray(bundle.events))
      throw new StudioApiError('invalid-argument', 'bundle: events: expected an array');
    const events = checkRunEventLines(bundle.events, 'bundle');
    const result = importedResult(bundle);
    const catalog = importedCatalog(bundle);
    const config = await importedConfig(bundle, this.userDataDir, await SettingsStore.open(this.userDataDir));
    const folder = createRunFolder({ ...config, runsDir: this.runsDir }, bundle.stage, STUDIO, catalog);
    try {
      writeFileAtomic(path.join(folder.dir, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      if (result?.iclExamples)
        writeFileAtomic(path.join(folder.dir, ICL_EXAMPLES_FILE), `${JSON.stringify(result.iclExamples, null, 2)}\n`);
      if (result) writeResult(folder.dir, result.result);
    } finally {
      folder.lock.release();
    }
    return folder.id;
  }

  /** A search the paper published, as a new read-only run folder (runs/publishedTrace.ts). */
  importTrace({ model, content }: ImportTraceRequest): string {
    return importTrace({ runsDir: this.runsDir, baseDir: this.userDataDir, model, text: content, holder: STUDIO });
  }

  /** Points each named backend of a stopped run at one of the user's saved connections (an imported run's first of all). */
  async bind(id: string, bindings: Record<string, string>): Promise<void> {
    this.refuseReadOnly(id, 'bound to a connection');
    if (this.sessions.isRunning(id)) throw new StudioApiError('conflict', `run ${id} is running; pause it first`);
    const settings = await SettingsStore.open(this.userDataDir);
    const { dir } = this.folder(id);
    const folder = openForWriting(() => openRunFolder(dir, STUDIO));
    try {
      const config = boundConfig(folder.config, bindings, settings);
      writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify({ stage: folder.stage, config }, null, 2)}\n`);
    } finally {
      folder.lock.release();
    }
  }

  /** The run's folder as a reader sees it (nothing written); a damaged one is a clear error naming the file. */
  folder(id: string): RunFolderInfo {
    return readItem('run', id, () => this.readInfo(id));
  }

  private startWith(stage: RunStage, config: RunConfig): string {
    const folder = createRunFolder({ ...config, runsDir: this.runsDir }, stage, STUDIO);
    this.launch(folder);
    return folder.id;
  }

  /** Refused (`conflict`) at once, before anything runs, when the run is running here or another process holds its folder. */
  resume(id: string, options: { budget?: Budget } = {}): void {
    if (this.sessions.isRunning(id)) throw new StudioApiError('conflict', `run ${id} is already running`);
    this.refuseReadOnly(id, 'resumed');
    const { dir } = this.folder(id);
    const status = this.status(id, this.events(id));
    if (hasFinished(status) || status === 'cancelled')
      throw new StudioApiError('conflict', `run ${id} is ${status}; it cannot be resumed`);
    const unbound = unboundError(id, this.folder(id).config);
    if (unbound) throw unbound;
    this.launch(
      openForWriting(() => openRunFolder(dir, STUDIO)),
      options.budget,
    );
  }

  async pause(id: string): Promise<void> {
    if (!(await this.sessions.stop(id, new Error('paused'))))
      throw new StudioApiError('conflict', `run ${id} is not running`);
  }

  async cancel(id: string): Promise<void> {
    this.outages.forget(id);
    await this.sessions.stop(id, new Error(CANCELLED_BY_USER));
    const { dir } = this.folder(id);
    const status = this.status(id, this.events(id));
    if (hasFinished(status)) throw new StudioApiError('conflict', `run ${id} has finished`);
    if (status === 'cancelled') return;
    const folder = openForWriting(() => openRunFolder(dir, STUDIO));
    try {
      this.sessions.publish(id, folder.log.append({ type: 'run-cancelled', reason: CANCELLED_BY_USER, final: true }));
    } finally {
      folder.lock.release();
    }
  }

  /** Deletes the run's folder, damaged or not; a running run (here or in a CLI process) is refused. */
  async remove(id: string): Promise<void> {
    if (this.sessions.isRunning(id))
      throw new StudioApiError('conflict', `run ${id} is running; pause or cancel it before removing it`);
    this.outages.forget(id);
    removeItem(this.runsDir, id, 'run', STUDIO);
  }

  /** Waits for a running run to stop (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.sessions.settled(id);
  }

  async stopAll(): Promise<void> {
    this.outages.forgetAll();
    await this.sessions.stopAll(new Error('paused'));
  }

  /** Every run, newest first; a damaged one with status `damaged`, the file at fault and why. */
  list(): RunSummary[] {
    return listItems(
      this.runsDir,
      (id) => this.summary(this.readInfo(id), this.readEvents(id)),
      (id, damaged, createdAt): RunSummary => ({
        id,
        stage: null,
        status: 'damaged',
        createdAt,
        bestScore: null,
        nodeCount: 0,
        calls: 0,
        damaged,
      }),
    ).sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): RunDetail {
    return readItem('run', id, () => {
      const info = this.readInfo(id);
      const events = this.readEvents(id);
      const tree = new RunTree();
      for (const event of events) tree.apply(event as unknown as RunEventMessage);
      const configFile = path.join(info.dir, 'config.json');
      const saved = readPart(configFile, () => readJsonFile(configFile)) as { config: unknown };
      const resultFile = path.join(info.dir, 'result.json');
      const result = existsSync(resultFile) ? readPart(resultFile, () => readResult(info.dir)) : undefined;
      const catalog = this.recordedCatalog(info.dir);
      return {
        ...this.summary(info, events),
        config: saved.config,
        tree: tree.list(),
        result,
        ...(catalog ? { catalog } : {}),
      };
    });
  }

  /** The catalog the run recorded when it was created; undefined for a run older than that (or imported without one). */
  catalog(id: string): AspectCatalog | undefined {
    return readItem('run', id, () => this.recordedCatalog(this.dir(id)));
  }

  private recordedCatalog(dir: string): AspectCatalog | undefined {
    const file = path.join(dir, RUN_CATALOG_FILE);
    return existsSync(file) ? readPart(file, () => loadAspectCatalog(file)) : undefined;
  }

  /** Replays the log from seq `fromSeq` on, then streams live events, until the returned function is called. */
  subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void {
    return this.sessions.subscribe(id, path.join(this.dir(id), 'events.jsonl'), fromSeq, listener);
  }

  /** Runs the folder's stage, which lets the folder's lock go when it ends; a pause for failing backends is watched. */
  private launch(folder: RunFolder, budget?: Budget): void {
    this.outages.forget(folder.id);
    const host = { secrets: this.secrets, userDataDir: this.userDataDir };
    this.sessions.launch(folder.id, (signal, onLogged) =>
      runStage(folder, { ...host, signal, onLogged, ...(budget ? { budget } : {}) }).catch((error) => {
        if (error instanceof RunPausedError)
          this.outages.watch(folder.id, folder.config, error.outages, host, () => this.resume(folder.id));
        throw error;
      }),
    );
  }

  /** Where the run comes from when it did not run here (a published trace); undefined for the user's own runs. */
  private source(dir: string): RunSource | undefined {
    const file = path.join(dir, 'result.json');
    return existsSync(file) ? publishedTraceOf(readPart(file, () => readResult(dir))) : undefined;
  }

  /** A conflict error when the run is read-only (a published trace): it cannot be `what`. */
  private refuseReadOnly(id: string, what: string): void {
    const source = readItem('run', id, () => this.source(itemPath(this.runsDir, id, 'run')));
    if (source) throw readOnlyError(id, source, what);
  }

  private dir(id: string): string {
    return readItem('run', id, () => itemPath(this.runsDir, id, 'run'));
  }

  /** The folder's config, read only; throws DamagedItemError naming the file at fault. */
  private readInfo(id: string): RunFolderInfo {
    const dir = itemPath(this.runsDir, id, 'run');
    return readPart(path.join(dir, 'config.json'), () => readRunFolder(dir));
  }

  /** The folder's log as it is now (a line still being written left out); throws DamagedItemError. */
  private readEvents(id: string): LoggedEvent[] {
    const file = path.join(itemPath(this.runsDir, id, 'run'), 'events.jsonl');
    // A run that has logged nothing yet has no log.
    return existsSync(file) ? readPart(file, () => readRunLog(file).events) : [];
  }

  private events(id: string): LoggedEvent[] {
    return readItem('run', id, () => this.readEvents(id));
  }

  private status(id: string, events: readonly LoggedEvent[]): RunStatus {
    return this.sessions.isRunning(id) ? 'running' : stopFromLog(events).status;
  }

  private summary({ id, dir, stage, config }: RunFolderInfo, events: LoggedEvent[]): RunSummary & { stage: RunStage } {
    const source = this.source(dir);
    // A published trace's backend never opens, and no connection can be bound to it.
    const needsConnection = source ? [] : unboundBackends(config);
    const tree = new RunTree();
    let calls = 0;
    for (const event of events) {
      tree.apply(event as unknown as RunEventMessage);
      if (event.type === 'call') calls += event.requests;
    }
    const failure = lastFailure(events);
    const status = this.status(id, events);
    const stop = status === 'running' ? undefined : stopFromLog(events);
    const meta = readItemMeta(dir);
    const best = tree
      .list()
      .reduce<TreeNode | undefined>(
        (top, node) => (node.score !== null && (top?.score == null || node.score > top.score) ? node : top),
        undefined,
      );
    return {
      id,
      stage,
      status,
      createdAt: events[0]?.ts ?? 0,
      bestScore: tree.bestScore(),
      nodeCount: tree.nodes.size,
      calls,
      ...(failure !== undefined ? { error: failure } : {}),
      ...(stop?.pause ? { reason: stop.pause.reason, resumesWhenBack: this.outages.has(id) } : {}),
      ...(stop?.failed ? { failed: stop.failed } : {}),
      ...(needsConnection.length > 0 ? { needsConnection } : {}),
      ...(source ? { source } : {}),
      ...metaFields(meta.meta),
      ...(meta.damaged ? { metaDamaged: meta.damaged } : {}),
      ...(best ? { bestPrompt: best.state } : {}),
    };
  }
}
