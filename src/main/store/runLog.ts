// A run's (or an experiment's) append-only JSONL event log. Every line is written with one synchronous write before
// append() returns, so a killed process loses at most the line being written; a torn last line is cut off on
// reopening. The file stays open while its folder is held (opening it per line cost more than the write itself).
// On resume the engine replays the run against its cache and re-emits events it had already
// logged: those are recognized by content and not written twice.
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { ModelErrorKind } from '../../plugins/contract.js';
import type { Budget } from '../../shared/money.js';
import type { PromptFormat } from '../../shared/runOptions.js';
import type { EngineEvent } from '../engine/events.js';
import type { ExperimentEvent } from '../experiments/experimentEvents.js';
import type { CallEvent } from '../llm/callEvents.js';
import type { DownloadProgress } from './modelStore.js';
import { PRIVATE_FILE_MODE } from './privateFiles.js';

/** A backend whose calls fail for good: since when (ms since the epoch; the first failure of the streak) and the latest failure. */
export interface BackendOutage {
  backend: string;
  kind: ModelErrorKind;
  since: number;
  message: string;
}

export type LifecycleEvent =
  | { type: 'run-started'; stage: RunStage | 'experiment'; version: string }
  /** `budget`: the budget this resume raised (or lowered), in force from here on (runs/runBudget.ts). */
  | { type: 'run-resumed'; budget?: Budget }
  /** `failed`: work left without a result because its calls failed for good (status finished-with-failures). */
  | { type: 'run-finished'; failed?: number }
  /**
   * Stopped because backends fail for good, or because most of a level's structured replies were
   * unusable; `reason` names them and says what to do; resumable. `renew`: the keys of the calls a
   * resume asks again instead of replaying (the unusable replies).
   */
  | { type: 'run-paused'; reason: string; outages: BackendOutage[]; renew?: string[] }
  /** Stopped before the end; `final` when the user cancelled (a pause or a kill can be resumed). */
  | { type: 'run-cancelled'; reason: string; final?: boolean }
  | { type: 'run-failed'; error: string }
  /** Something the user should know that did not stop the run (a backend's lowered limit, a capability given up). */
  | { type: 'warning'; message: string }
  /** For information, no trouble: a plugin's workaround of its server's quirk; each message once per run. */
  | { type: 'notice'; message: string }
  /** The base model's prompt format, once the backends are open; `automatic`: the config named none (runs/runPromptFormat.ts). */
  | { type: 'prompt-format'; format: PromptFormat; automatic: boolean }
  /** What ranks the ICL examples, once the retriever opens (runs/createRetriever.ts); a resume keeps a fallback to BM25. */
  | { type: 'retrieval'; requested: string; used: string; reason?: string };

/** A model of the hub being downloaded for retrieval: bytes of the file and of the whole so far. */
export type DownloadEvent = { type: 'download' } & DownloadProgress;

export type RunStage = 'system-prompt' | 'icl';
export type RunEvent = EngineEvent | CallEvent | LifecycleEvent | ExperimentEvent | DownloadEvent;
export type LoggedEvent = RunEvent & { seq: number; ts: number };

export function readRunLog(file: string): { events: LoggedEvent[]; tornBytes: number } {
  if (!existsSync(file)) return { events: [], tornBytes: 0 };
  const text = readFileSync(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  const events: LoggedEvent[] = [];
  const lines = text.slice(0, complete).split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as LoggedEvent);
    } catch {
      throw new Error(`${file}: line ${index + 1} is not JSON; the log is damaged`);
    }
  }
  return { events, tornBytes: Buffer.byteLength(text.slice(complete)) };
}

function contentKey(event: RunEvent): string {
  return JSON.stringify(event);
}

export class RunLog {
  private seq: number;
  private readonly logged = new Set<string>();
  readonly previous: LoggedEvent[];
  /** Open for appending from the first line on; after close(), every line opens the file again. */
  private fd: number | 'closed' | undefined;

  constructor(private readonly file: string) {
    const { events, tornBytes } = readRunLog(file);
    if (tornBytes > 0) truncateSync(file, Buffer.byteLength(readFileSync(file, 'utf8')) - tornBytes);
    this.previous = events;
    this.seq = events.length;
    for (const { seq: _seq, ts: _ts, ...event } of events) {
      if (isReplayable(event as RunEvent)) this.logged.add(contentKey(event as RunEvent));
    }
  }

  /** Writes the event and returns it as logged, or undefined when it was logged already (a replay). */
  append(event: RunEvent): LoggedEvent | undefined {
    const json = contentKey(event);
    if (isReplayable(event)) {
      if (this.logged.has(json)) return undefined;
      this.logged.add(json);
    }
    const logged = { seq: this.seq++, ts: Date.now(), ...event } as LoggedEvent;
    // JSON.stringify(logged), without serializing the event a second time.
    this.write(`{"seq":${logged.seq},"ts":${logged.ts},${json.slice(1)}\n`);
    return logged;
  }

  /** Closes the file (the folder is let go); a line appended later still reaches it. Idempotent. */
  close(): void {
    if (typeof this.fd === 'number') closeSync(this.fd);
    this.fd = 'closed';
  }

  private write(line: string): void {
    if (this.fd === 'closed') {
      appendFileSync(this.file, line, { mode: PRIVATE_FILE_MODE });
      return;
    }
    this.fd ??= openSync(this.file, 'a', PRIVATE_FILE_MODE);
    const bytes = Buffer.from(line);
    for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written);
  }
}

/** Engine events recur identically when a resumed run replays; call and lifecycle events never do. */
function isReplayable(event: RunEvent): boolean {
  return ![
    'call',
    'call-failed',
    'probe',
    'download',
    'retry',
    'concurrency',
    'run-started',
    'run-resumed',
    'run-finished',
    'run-paused',
    'run-cancelled',
    'run-failed',
  ].includes(event.type);
}
