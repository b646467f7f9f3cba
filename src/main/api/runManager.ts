// Runs the studio starts, pauses, resumes and cancels, in this process. A pause stops the run at
// once; its folder keeps every finished call, so `resume` (now or after a restart) re-pays
// nothing. Status comes from the run's own log, so it survives restarts too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunTree } from '../../shared/runTree.js';
import type { RunBundle, RunDetail, RunEventMessage, RunStatus, RunSummary } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig, type RunConfig } from '../config/runConfig.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { ICL_EXAMPLES_FILE } from '../runs/runResult.js';
import { runStage } from '../runs/runSession.js';
import { writeFileAtomic } from '../store/privateFiles.js';
import { checkRunEventLines } from '../store/runEventLines.js';
import { createRunFolder, openRunFolder, type RunFolder, readResult, writeResult } from '../store/runFolder.js';
import { type LoggedEvent, RunLog, type RunStage, readRunLog } from '../store/runLog.js';
import { SettingsStore } from '../store/settingsStore.js';
import { boundConfig, importedConfig, importedResult, unboundBackends, unboundError } from './importedRuns.js';
import { folderIds, folderPath, LiveSessions, lastFailure, statusFromLog } from './liveSessions.js';

const CANCELLED_BY_USER = 'cancelled by the user';

export class RunManager {
  private readonly sessions = new LiveSessions();

  constructor(
    readonly runsDir: string,
    /** The studio's user-data folder: its settings and plugins serve the runs, and relative paths in their configs resolve against it. */
    private readonly userDataDir: string,
    /** The desktop app's key store, when there is one. */
    private readonly secrets?: SecretSource,
  ) {}

  async start(stage: RunStage, rawConfig: Record<string, unknown>): Promise<string> {
    const config = normalizeConfig(rawConfig, this.userDataDir);
    // A refused setting (a literal API key) must fail here, before the run's folder is written.
    await checkBackendSettings(config, { userDataDir: this.userDataDir });
    return this.startWith(stage, config);
  }

  /** A new run of `id`'s config whose initial system prompt is one of its nodes' prompts. */
  fork(id: string, nodeId: string): string {
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

  exportBundle(id: string): RunBundle {
    const folder = this.folder(id);
    const events = readRunLog(path.join(folder.dir, 'events.jsonl')).events as unknown as RunEventMessage[];
    const result = readResult(folder.dir);
    return {
      format: 'drpo-studio-run-bundle',
      version: 1,
      stage: folder.stage,
      config: folder.config,
      events,
      ...(result ? { result } : {}),
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
    const config = await importedConfig(bundle, this.userDataDir, await SettingsStore.open(this.userDataDir));
    const folder = createRunFolder({ ...config, runsDir: this.runsDir }, bundle.stage);
    writeFileAtomic(path.join(folder.dir, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (result?.iclExamples)
      writeFileAtomic(path.join(folder.dir, ICL_EXAMPLES_FILE), `${JSON.stringify(result.iclExamples, null, 2)}\n`);
    if (result) writeResult(folder.dir, result.result);
    return folder.id;
  }

  /** Points each named backend of a stopped run at one of the user's saved connections (an imported run's first of all). */
  async bind(id: string, bindings: Record<string, string>): Promise<void> {
    if (this.sessions.isRunning(id)) throw new StudioApiError('conflict', `run ${id} is running; pause it first`);
    const folder = this.folder(id);
    const config = boundConfig(folder.config, bindings, await SettingsStore.open(this.userDataDir));
    writeFileAtomic(
      path.join(folder.dir, 'config.json'),
      `${JSON.stringify({ stage: folder.stage, config }, null, 2)}\n`,
    );
  }

  folder(id: string): RunFolder {
    return openRunFolder(this.dir(id));
  }

  private startWith(stage: RunStage, config: RunConfig): string {
    const folder = createRunFolder({ ...config, runsDir: this.runsDir }, stage);
    this.launch(folder);
    return folder.id;
  }

  resume(id: string): void {
    if (this.sessions.isRunning(id)) throw new StudioApiError('conflict', `run ${id} is already running`);
    const status = this.status(id);
    if (status === 'finished' || status === 'cancelled')
      throw new StudioApiError('conflict', `run ${id} is ${status}; it cannot be resumed`);
    const folder = this.folder(id);
    const unbound = unboundError(id, folder.config);
    if (unbound) throw unbound;
    this.launch(folder);
  }

  async pause(id: string): Promise<void> {
    if (!(await this.sessions.stop(id, new Error('paused'))))
      throw new StudioApiError('conflict', `run ${id} is not running`);
  }

  async cancel(id: string): Promise<void> {
    await this.sessions.stop(id, new Error(CANCELLED_BY_USER));
    const status = this.status(id);
    if (status === 'finished') throw new StudioApiError('conflict', `run ${id} has finished`);
    if (status !== 'cancelled')
      this.sessions.publish(
        id,
        new RunLog(path.join(this.dir(id), 'events.jsonl')).append({
          type: 'run-cancelled',
          reason: CANCELLED_BY_USER,
          final: true,
        }),
      );
  }

  /** Waits for a running run to stop (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.sessions.settled(id);
  }

  async stopAll(): Promise<void> {
    await this.sessions.stopAll(new Error('paused'));
  }

  list(): RunSummary[] {
    return folderIds(this.runsDir)
      .map((id) => this.summary(id, readRunLog(path.join(this.dir(id), 'events.jsonl')).events))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): RunDetail {
    const events = readRunLog(path.join(this.dir(id), 'events.jsonl')).events;
    const tree = new RunTree();
    for (const event of events) tree.apply(event as unknown as RunEventMessage);
    const saved = JSON.parse(readFileSync(path.join(this.dir(id), 'config.json'), 'utf8')) as { config: unknown };
    return { ...this.summary(id, events), config: saved.config, tree: tree.list(), result: readResult(this.dir(id)) };
  }

  /** Replays the log from seq `fromSeq` on, then streams live events, until the returned function is called. */
  subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void {
    return this.sessions.subscribe(id, path.join(this.dir(id), 'events.jsonl'), fromSeq, listener);
  }

  private launch(folder: RunFolder): void {
    this.sessions.launch(folder.id, (signal, onLogged) =>
      runStage(folder, { signal, secrets: this.secrets, userDataDir: this.userDataDir, onLogged }),
    );
  }

  private dir(id: string): string {
    return folderPath(this.runsDir, id, 'run');
  }

  private status(id: string, events = readRunLog(path.join(this.dir(id), 'events.jsonl')).events): RunStatus {
    return this.sessions.isRunning(id) ? 'running' : statusFromLog(events);
  }

  private summary(id: string, events: LoggedEvent[]): RunSummary {
    const saved = JSON.parse(readFileSync(path.join(this.dir(id), 'config.json'), 'utf8')) as {
      stage: RunStage;
      config: Pick<RunConfig, 'backends'>;
    };
    const needsConnection = saved.config ? unboundBackends(saved.config) : [];
    const tree = new RunTree();
    let calls = 0;
    for (const event of events) {
      tree.apply(event as unknown as RunEventMessage);
      if (event.type === 'call') calls += event.requests;
    }
    const failure = lastFailure(events);
    return {
      id,
      stage: saved.stage,
      status: this.status(id, events),
      createdAt: events[0]?.ts ?? 0,
      bestScore: tree.bestScore(),
      nodeCount: tree.nodes.size,
      calls,
      ...(failure !== undefined ? { error: failure } : {}),
      ...(needsConnection.length > 0 ? { needsConnection } : {}),
    };
  }
}
