// The studio's one service API, shared by both sides. The Electron main process serves it over
// IPC, `drpo-studio serve` over HTTP + server-sent events; the renderer depends only on this
// interface, never on the transport that carries it. Everything that crosses is plain JSON.
//
// Shape rule (what lets one generic transport carry every method): each domain is an object of
// methods that take JSON arguments and return a Promise of JSON, except the methods named in
// SUBSCRIPTIONS, whose last argument is a listener and which return their unsubscribe function.
// The argument types come from the zod schemas the transports validate with (apiSchemas.ts);
// errors cross as StudioApiError (studioApiError.ts).

import type { z } from 'zod';
import type { SettingField } from '../plugins/contract.js';
import type {
  connectionSchema,
  DATASET_KINDS,
  datasetItemSchema,
  datasetSchema,
  EXPORT_FORMATS,
  experimentItemQuerySchema,
  importTraceRequestSchema,
  playgroundRequestSchema,
  runBundleSchema,
  runEventSchema,
  setupSchema,
  startExperimentRequestSchema,
  startRunRequestSchema,
} from './apiSchemas.js';
import type {
  AspectProbe,
  AspectTryDefaults,
  AspectTryEstimate,
  AspectTryEvent,
  AspectTryRequest,
  aspectCatalogSchema,
} from './aspectTry.js';
import type { ExperimentResult } from './experimentTypes.js';
import type { JudgeCheckRequest } from './judgeCheckRequest.js';
import type { JudgeCheckEstimate, JudgeCheckEvent } from './judgeCheckTypes.js';
import type { Budget, Spend } from './money.js';
import type { RunStage } from './runOptions.js';

export type { RunStage } from './runOptions.js';
/**
 * `paused`: stopped and resumable (by the user, or by itself because backends fail for good: its
 * summary's `reason` says which and since when). `finished-with-failures`: finished, but some nodes
 * have no judgement (or no successors) because their calls failed for good; `failed` counts them.
 * `damaged`: the folder cannot be read (its summary says which file and why); it can only be removed.
 */
export type RunStatus =
  | 'running'
  | 'paused'
  | 'cancelled'
  | 'failed'
  | 'finished'
  | 'finished-with-failures'
  | 'damaged';

/** Why a listed item cannot be read: the file at fault (a path on the studio's machine) and what is wrong with it. */
export interface DamagedFile {
  file: string;
  reason: string;
}

export interface RunSummary {
  id: string;
  /** null only for a damaged run whose config cannot be read. */
  stage: RunStage | null;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Best ranking score of a node so far; null before any. */
  bestScore: number | null;
  nodeCount: number;
  /** Paid model calls so far. */
  calls: number;
  error?: string;
  /** A run paused because backends fail for good: which, since when, and what to do (one line). */
  reason?: string;
  /** With `reason`: the studio probes the backends and resumes the run by itself when they answer. */
  resumesWhenBack?: boolean;
  /** With status `finished-with-failures`: nodes left unjudged and rewrites never made because their calls failed for good. */
  failed?: number;
  /** Set with status `damaged`. */
  damaged?: DamagedFile;
  /**
   * An imported run's backends that need one of the user's saved connections (`runs.bind`) before
   * the run can resume or fork, each with the plugin the bundle named; absent when none do.
   */
  needsConnection?: { backend: string; plugin?: string }[];
  /** Where a run that did not run here comes from: a search the paper published (read-only). */
  source?: RunSource;
  // Housekeeping (issue 16 item 4): the user's name and notes (meta.json), and the best prompt so far, for search.
  /** The name the user gave it; absent when none. */
  name?: string;
  notes?: string;
  /** meta.json cannot be read (the run itself can): which file and why; `describe` writes a fresh one. */
  metaDamaged?: DamagedFile;
  /** The text (prompt or answer) of the best-scoring node so far. */
  bestPrompt?: string;
}

// Housekeeping (issue 16 item 4)
/** What `describe` changes: a field given replaces the saved one; an empty string clears it. */
export interface ItemDescription {
  name?: string;
  notes?: string;
}

/** A published search trace (optimized-prompts/<model>/trace.json) opened as a run: nothing of it can run. */
export interface RunSource {
  kind: 'published-trace';
  /** The model the trace was published for. */
  model: string;
}

export interface TreeNode {
  id: string;
  parentId: string | null;
  level: number;
  state: string;
  action: 'initial' | 'rewrite' | 'carry-over';
  query: string;
  /** A rewrite's: the optimizer's analysis of its parent's feedback, and its plan (absent from runs logged before they were kept). */
  analysis?: string;
  thought?: string;
  output?: string;
  reward: number | null;
  score: number | null;
  aspects?: { aspect: string; score: number | null; rationale: string }[];
  /** Why the node has no score (a failed call or an unusable judgment). */
  error?: string;
  /** Selected into the beam of its level. */
  inBeam: boolean;
}

/** One example of a finished ICL run's result.json: its answer before and after, with their scores. */
export interface IclResultExample {
  query: string;
  kind?: string;
  before: string;
  after: string;
  scoreBefore: number | null;
  scoreAfter: number | null;
  bestNodeId: string;
}

export interface RunDetail extends RunSummary {
  /** A run that can be opened is never damaged: its stage is known. */
  stage: RunStage;
  /** The run's config as saved in its folder (secrets only as "env:NAME"). */
  config: unknown;
  tree: TreeNode[];
  /** result.json, once finished. */
  result?: unknown;
  /** The aspect catalog the run used, as recorded in its folder when it started; absent for runs older than that. */
  catalog?: AspectCatalogDto;
}

/** One line of a run's event log, as the engine wrote it. */
export type RunEventMessage = z.input<typeof runEventSchema>;

export type StartRunRequest = z.input<typeof startRunRequestSchema>;

export type AspectCatalogDto = z.input<typeof aspectCatalogSchema>;

/** A field of a plugin's settings form (the plugin contract's declaration). */
export type PluginSettingFieldDto = SettingField;

export interface PluginDto {
  id: string;
  source: 'builtin' | 'user';
  enabled: boolean;
  name?: string;
  version?: string;
  capabilities?: Record<string, boolean>;
  /** The form a connection of this plugin fills in. */
  settings?: PluginSettingFieldDto[];
  /** Why the plugin cannot be used, when it cannot. */
  error?: string;
}

/** A saved backend connection; secret settings only ever as "env:NAME" (the renderer sees no secret). */
export type ConnectionDto = z.input<typeof connectionSchema>;
/** A saved connection as listed, with the summary of what its server was found to do (absent: not probed yet). */
export type SavedConnectionDto = ConnectionDto & { profile?: string };

/** A small instruct model the studio offers to download (resources/models.json). */
export interface CatalogModelDto {
  /** What the user picks it by, e.g. "qwen2.5-0.5b-instruct". */
  id: string;
  /** Display name, e.g. "Qwen2.5 0.5B Instruct (Q4_K_M)". */
  name: string;
  /** Where it comes from: `hf:owner/repo/file.gguf`. */
  source: string;
  /** Its size as published, in bytes. */
  sizeBytes: number;
  licence: string;
  licenceUrl: string;
  /** One line on what it is good for on a laptop. */
  note: string;
}

/** What `models.pull` reports, in order: progress lines, then exactly one of done or failed. */
export type ModelPullEvent =
  | {
      type: 'progress';
      downloadedBytes: number;
      /** Absent while the server has not said (no Content-Length yet). */
      totalBytes?: number;
      bytesPerSecond: number;
      /** Absent while unknown. */
      secondsLeft?: number;
    }
  | { type: 'done'; path: string; sizeBytes: number; connection: string }
  | { type: 'failed'; error: string };

/** A GGUF file downloaded into the user-data folder. */
export interface LocalModelDto {
  file: string;
  path: string;
  sizeBytes: number;
}

export const DETECTED_SERVER_KINDS = ['ollama', 'lm-studio', 'llama.cpp', 'vllm', 'openai-compatible'] as const;
export type DetectedServerKind = (typeof DETECTED_SERVER_KINDS)[number];

/** A model server that answered `connections.detect`. */
export interface DetectedServerDto {
  kind: DetectedServerKind;
  /** The address probed, e.g. http://127.0.0.1:11434. */
  address: string;
  models: { id: string; contextLength?: number }[];
  /** The connection to save for it (plugin and settings, first model chosen), and a name to offer. */
  connection: ConnectionDto;
  suggestedName: string;
}

export interface DetectResultDto {
  found: DetectedServerDto[];
  /** Every address probed where nothing usable answered, and why (refused, timed out, not a model server). */
  silent: { address: string; reason: string }[];
}

/** What the key store offers. */
export interface KeyStoreState {
  /** Only the desktop app has a key store (browser mode and the CLI read env:NAME). */
  available: boolean;
  names: string[];
  /** On Linux, the keychain Electron chose: 'gnome_libsecret', 'kwallet5'… or 'basic_text' (plain text). */
  backend?: string;
  /** Keys would be kept where anyone who can read the file can read them ('basic_text'). */
  weak: boolean;
}

export type ExportFormatDto = (typeof EXPORT_FORMATS)[number];

export type DatasetKind = (typeof DATASET_KINDS)[number];

export type DatasetItem = z.input<typeof datasetItemSchema>;

export interface DatasetSummary {
  name: string;
  kind: DatasetKind;
  items: number;
  updatedAt: number;
  /** The file cannot be read as its kind (the dataset can only be removed); `items` is then 0. */
  damaged?: DamagedFile;
}

export type DatasetDto = z.input<typeof datasetSchema>;

export type SetupDto = z.input<typeof setupSchema>;

export type PlaygroundRequest = z.input<typeof playgroundRequestSchema>;

export type PlaygroundEvent =
  | { side: 'a' | 'b'; type: 'chunk'; text: string }
  | { side: 'a' | 'b'; type: 'done'; text: string; examples: string[] }
  | { side: 'a' | 'b'; type: 'error'; error: string };

export type RunBundle = z.input<typeof runBundleSchema>;

export type ImportTraceRequest = z.input<typeof importTraceRequestSchema>;

/**
 * An experiment's status means what a run's does: running; stopped before the end (cancelled,
 * failed, or paused because backends fail for good: `resume` continues it); finished,
 * `finished-with-failures` when some items have no score because their calls failed for good; or
 * its folder cannot be read.
 */
export type ExperimentStatus = RunStatus;

export interface ExperimentSummary {
  id: string;
  status: ExperimentStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Evaluation items selected. */
  items: number;
  setups: string[];
  targets: string[];
  /** Answers the judge is done with (the unjudged included), of `total` = items × setups × targets. */
  judged: number;
  total: number;
  error?: string;
  /** Paused because backends fail for good: which, since when, and what to do (one line). */
  reason?: string;
  /** With `reason`: the studio probes the backends and resumes the experiment by itself when they answer. */
  resumesWhenBack?: boolean;
  /** With status `finished-with-failures`: items left without a score because their calls failed for good. */
  failed?: number;
  /** Set with status `damaged`. */
  damaged?: DamagedFile;
  // Housekeeping (issue 16 item 4): the user's name and notes (meta.json).
  name?: string;
  notes?: string;
  /** meta.json cannot be read (the experiment itself can): which file and why. */
  metaDamaged?: DamagedFile;
}

/** How far an experiment is, from its log. */
export interface ExperimentProgress {
  total: number;
  answered: number;
  /** Answers the judge is done with, `unjudged` (no usable judgment) included. */
  judged: number;
  unjudged: number;
  /** Items left without a score because a call failed for good. */
  failed: number;
  /** Paid model calls and their cost so far. */
  calls: number;
  costUsd: number;
  /** The same, per setup on each target. */
  cells: {
    setup: string;
    target: string;
    total: number;
    answered: number;
    judged: number;
    unjudged: number;
    failed: number;
  }[];
}

/** A table of an experiment's result, as the CLI writes it to tables/ (cells already formatted). */
export interface ResultTableDto {
  name: string;
  title: string;
  header: string[];
  rows: string[][];
}

export interface ExperimentDetail {
  summary: ExperimentSummary;
  /** The config as saved in the experiment's folder: paths resolved, secrets only as references. */
  config: unknown;
  /** result.json, once finished. */
  result?: ExperimentResult;
  /** The result's tables (per aspect, transfer, one per category dimension, cost), once finished. */
  tables?: ResultTableDto[];
  progress: ExperimentProgress;
}

export type StartExperimentRequest = z.input<typeof startExperimentRequestSchema>;

// --- Answers item by item (issue 16, items): experiments.items / experiments.item ---

/** A line of an experiment's judgements.jsonl or log that could not be read: left out, and named. */
export interface DamagedLine {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

/** Which items, in which order: filters, a text search, the two setups compared, a page. */
export type ExperimentItemQuery = z.input<typeof experimentItemQuerySchema>;

/** One item of an experiment in the items table. */
export interface ExperimentItemRow {
  id: string;
  split: 'regular' | 'safety';
  tags: Record<string, string[]>;
  instruction: string;
  /**
   * Per setup, the item's score there: the mean over the targets of each answer's own mean over
   * its aspects (N/A left out, as the category tables count); null where no answer has a score.
   */
  scores: Record<string, number | null>;
  /** With `compare`: the mean over the targets where both setups have a score of (A − B); null where none has both. */
  difference?: number | null;
  /** Answers (setups × targets) without a score: not judged yet, unjudged, failed, or N/A on every aspect. */
  unscored: number;
}

export interface ExperimentItemPage {
  /** Items matching the query (all pages). */
  total: number;
  /** Items in the experiment. */
  items: number;
  rows: ExperimentItemRow[];
  setups: string[];
  targets: string[];
  /** Tag dimension (source, task, topic…) → its values, for the category filter. */
  categories: Record<string, string[]>;
  /** Where the answers were read: judgements.jsonl once finished, else the log as it is now. */
  source: 'judgements' | 'log';
  damaged: DamagedLine[];
}

/** One setup's answer on one target, with the judge's score and reason per aspect. */
export interface ExperimentItemAnswer {
  setup: string;
  target: string;
  /** `answered`: not judged yet; `pending`: not answered yet. */
  status: 'judged' | 'unjudged' | 'failed' | 'answered' | 'pending';
  answer?: string;
  /** Aspect → 1–5, or null for N/A. */
  scores?: Record<string, number | null>;
  reasons?: Record<string, string>;
  /** The answer's own mean over its aspects (N/A left out); null without a score. */
  mean: number | null;
  /** Why an unjudged or failed answer has no score. */
  error?: string;
  /** The exact prompt the judge got (judgements.jsonl keeps it; the log does not). */
  judgePrompt?: string;
}

export interface ExperimentItemDetail {
  item: { id: string; instruction: string; split: 'regular' | 'safety'; tags: Record<string, string[]> };
  /** Targets outer, setups inner, as the result's cells. */
  answers: ExperimentItemAnswer[];
  damaged: DamagedLine[];
}
// --- end of answers item by item ---

/** Calls of one caller (a run, an experiment) or of a whole connection, at this moment. */
export interface CallCounts {
  inFlight: number;
  /** Waiting for a free slot. */
  queued: number;
  /** Sleeping on an overloaded server (429/503) before they ask again. */
  waitingOnOverload: number;
}

/** A connection's concurrency limit: found by the studio ('auto') or pinned by the config ('fixed'), and why. */
export interface ConcurrencyLimit {
  mode: 'auto' | 'fixed';
  limit: number;
  reason: string;
}

/** A connection in use in the studio's process now, with every run's and experiment's calls on it. */
export interface ConnectionActivity extends CallCounts, ConcurrencyLimit {
  /** The saved connection's name, or the backend's name in a config that uses no saved connection. */
  connection: string;
  /** Runs and experiments using it. */
  users: number;
  /** The most calls it has had in flight at once. */
  peakInFlight: number;
}

/** What a running run or experiment is doing now: its own calls, each backend's limit, the time it has left. */
export interface LiveActivity extends CallCounts {
  backends: ({ backend: string } & ConcurrencyLimit)[];
  /** Estimated milliseconds to the end (from the plan and the latencies measured); null until enough is measured. */
  timeLeftMs: number | null;
  /** Tokens and dollars paid for so far, earlier sessions' included (a resumed run's), each call once. */
  spent: Spend;
  /** The budget it pauses at (a run's `budget`), when it has one. */
  budget?: Budget;
}

export interface StudioApi {
  runs: {
    list(): Promise<RunSummary[]>;
    get(id: string): Promise<RunDetail>;
    /**
     * Calls per role before anything runs: appendix A.5, the plan, and the worst case once depth
     * extension has grown the search (`levels`: planned and at most, the root's included).
     * `fitness`: what Start would refuse, and what it would warn about, for the roles' backends (runs/roleFitness.ts).
     */
    estimate(request: StartRunRequest): Promise<{
      a5: Record<string, number>;
      planned: Record<string, number>;
      worstCase: Record<string, number>;
      levels: { planned: number; worstCase: number };
      fitness: { refusals: string[]; warnings: string[] };
      /** The worst case's tokens per role: prompts from their characters / 4, outputs at maxTokens (an upper bound). */
      tokens: Record<string, { prompt: number; completion: number }>;
      /** Dollars per role at its backend's price (runs/runCost.ts): from the planned prompts alone up to the worst case; or why there is no price. */
      cost: Record<string, { model?: string; noPrice?: string; dollars?: { from: number; upTo: number } }>;
    }>;
    start(request: StartRunRequest): Promise<{ id: string }>;
    /**
     * Stops now, keeping every finished call; `resume` continues where it stopped (also after a
     * restart). `options.budget`: limits that replace those of the budget in force (a run paused on its budget).
     */
    pause(id: string): Promise<void>;
    resume(id: string, options?: { budget?: Budget }): Promise<void>;
    cancel(id: string): Promise<void>;
    /** Deletes the run's folder, damaged or not; refused (`conflict`) while it runs, here or in a CLI process. */
    remove(id: string): Promise<void>;
    /** A new run of the same config that starts from one node's prompt. */
    fork(id: string, nodeId: string): Promise<{ id: string }>;
    /** The finished run's prompt and ICL set, ready to ship. */
    export(id: string, format: ExportFormatDto, options?: { model?: string }): Promise<string>;
    /** The run as one JSON document another installation can import. */
    exportBundle(id: string): Promise<RunBundle>;
    importBundle(bundle: RunBundle): Promise<{ id: string }>;
    /**
     * A search the paper published (`optimized-prompts/<model>/trace.json`, its text as `content`)
     * as a new read-only run: each level's prompt and evaluation in the beam view.
     */
    importTrace(request: ImportTraceRequest): Promise<{ id: string }>;
    /** The run's events from seq `fromSeq` on (0: all), then the live ones, until unsubscribed. */
    subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void;
    /** Points backends of a stopped run (by name) at the user's saved connections (by name): how an imported run becomes runnable. */
    bind(id: string, bindings: Record<string, string>): Promise<void>;
    /** The run's calls now and its time left; null unless it is running in the studio's process. */
    activity(id: string): Promise<LiveActivity | null>;
    // Housekeeping (issue 16 item 4)
    /** Sets the run's name and/or notes (meta.json in its folder; allowed while it runs); returns what is saved. */
    describe(id: string, description: ItemDescription): Promise<ItemDescription>;
    /** A new run of the same stage and config, started at once, named after the original. */
    duplicate(id: string): Promise<{ id: string }>;
    // Trying criteria on a query (issue 17)
    /** The aspect catalog the run recorded when it started (RunDetail.catalog without reading its log); null when none. */
    catalog(id: string): Promise<AspectCatalogDto | null>;
  };
  experiments: {
    list(): Promise<ExperimentSummary[]>;
    get(id: string): Promise<ExperimentDetail>;
    start(request: StartExperimentRequest): Promise<{ id: string }>;
    /** Stops now, keeping every finished call and judgment; `resume` continues (also after a restart), re-paying nothing. */
    cancel(id: string): Promise<void>;
    /** `options.budget`: limits that replace those of the budget in force (an experiment paused on its budget). */
    resume(id: string, options?: { budget?: Budget }): Promise<void>;
    /** Deletes the experiment's folder, damaged or not; refused (`conflict`) while it runs, here or in a CLI process. */
    remove(id: string): Promise<void>;
    /** The experiment's events from seq `fromSeq` on (0: all), then the live ones, until unsubscribed. */
    subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void;
    /** The experiment's calls now and its time left; null unless it is running in the studio's process. */
    activity(id: string): Promise<LiveActivity | null>;
    // Answers item by item (issue 16, items).
    /** A page of the experiment's items, filtered, searched and ordered (also while it runs: read from its log). */
    items(id: string, query: ExperimentItemQuery): Promise<ExperimentItemPage>;
    /** One item with every setup × target answer and the judge's score and reason per aspect. */
    item(id: string, itemId: string): Promise<ExperimentItemDetail>;
    // Housekeeping (issue 16 item 4)
    /** Sets the experiment's name and/or notes (meta.json in its folder; allowed while it runs); returns what is saved. */
    describe(id: string, description: ItemDescription): Promise<ItemDescription>;
    /** A new experiment of the same config (its evaluation set read again), started at once, named after the original. */
    duplicate(id: string): Promise<{ id: string }>;
  };
  datasets: {
    list(): Promise<DatasetSummary[]>;
    get(name: string): Promise<DatasetDto>;
    /** Parses a file's content in any format the CLI reads (the paper's included). */
    import(name: string, kind: DatasetKind, fileName: string, content: string): Promise<DatasetSummary>;
    save(dataset: DatasetDto): Promise<void>;
    remove(name: string): Promise<void>;
  };
  retrieval: {
    /** The K examples of an ICL dataset that retrieval puts before this query. */
    preview(dataset: string, query: string, k: number): Promise<DatasetItem[]>;
  };
  playground: {
    /** One query answered under two setups, both streamed. */
    compare(request: PlaygroundRequest, listener: (event: PlaygroundEvent) => void): () => void;
  };
  plugins: {
    list(): Promise<PluginDto[]>;
  };
  /** The desktop app's encrypted key store: values go in, only names come out. */
  secrets: {
    list(): Promise<KeyStoreState>;
    /** Refused where the store is weak (KeyStoreState.weak) unless `acceptWeakStorage` is set for this key. */
    set(name: string, value: string, options?: { acceptWeakStorage?: boolean }): Promise<void>;
    remove(name: string): Promise<void>;
  };
  connections: {
    list(): Promise<Record<string, SavedConnectionDto>>;
    save(name: string, connection: ConnectionDto): Promise<void>;
    remove(name: string): Promise<void>;
    /**
     * The connection test (runs/connectionTest.ts): reachable, the key taken, the model served, and
     * a fresh probe of what the server does (kept as its profile). `checks`: all that, in one line.
     */
    test(
      name: string,
    ): Promise<
      | { ok: true; models: { id: string; contextLength?: number }[]; checks: string; profile?: string }
      | { ok: false; error: string }
    >;
    /** Every connection runs and experiments of the studio's process use now: its limit and its calls. */
    activity(): Promise<ConnectionActivity[]>;
    /**
     * Probes the usual local addresses of Ollama, LM Studio, llama.cpp's server and vLLM, the
     * user's saved extra addresses and `addresses`; saves nothing (the user saves one with `save`).
     */
    detect(addresses?: string[]): Promise<DetectResultDto>;
  };
  models: {
    /** The short list of small instruct models offered for download. */
    catalog(): Promise<CatalogModelDto[]>;
    /** The GGUF files downloaded into the user-data folder. */
    list(): Promise<LocalModelDto[]>;
    /**
     * Downloads a GGUF (`hf:owner/repo/file.gguf` or an http(s) URL) into the user-data folder,
     * resuming a partial download, checks it is a whole GGUF, and saves an embedded (llama-cpp)
     * connection for it, named `connection` or after the file. Unsubscribing cancels; the partial
     * file stays for a later resume and is never taken for a model.
     */
    pull(request: { source: string; connection?: string }, listener: (event: ModelPullEvent) => void): () => void;
  };
  aspects: {
    get(): Promise<AspectCatalogDto>;
    save(catalog: AspectCatalogDto): Promise<void>;
    // Trying criteria on a query (issue 17): README "Trying criteria on a query".
    /** A catalog file's text (import), checked as a run would check it; nothing is saved. */
    parse(text: string): Promise<AspectCatalogDto>;
    /** The calls, tokens and dollars a try would spend; calls nothing. */
    estimateTry(request: AspectTryRequest): Promise<AspectTryEstimate>;
    /** Selects (unless aspects are ticked) and judges one answer with the catalog as sent; unsubscribing cancels. */
    try(request: AspectTryRequest, listener: (event: AspectTryEvent) => void): () => void;
    /** The connections a try uses by default: the last run's selector, judge and base. */
    tryDefaults(): Promise<AspectTryDefaults>;
    /** The saved probe examples. */
    probes(): Promise<AspectProbe[]>;
    saveProbes(probes: AspectProbe[]): Promise<void>;
  };
  // Judge checks (issue 16, "Can the judge be trusted?"): README "Can the judge be trusted?".
  judgeChecks: {
    /** The calls a check on a finished experiment would make; reads its folder, calls nothing. */
    estimate(request: JudgeCheckRequest): Promise<JudgeCheckEstimate>;
    /**
     * Runs the check: its progress, then its result (saved in the experiment's judge-checks/) or
     * its error. Unsubscribing cancels it.
     */
    run(request: JudgeCheckRequest, listener: (event: JudgeCheckEvent) => void): () => void;
  };
}

/** `domain.method` for every method of the contract. */
export type ApiMethodName = { [D in keyof StudioApi]: `${D}.${keyof StudioApi[D] & string}` }[keyof StudioApi];

/** Per domain of Api, names of its methods. */
type MethodLists<Api> = { readonly [D in keyof Api]: readonly (keyof Api[D] & string)[] };

/** What a list gets wrong: `domain.method` of each method it leaves out, and each domain Api lacks. */
type ListProblems<Api, L> =
  | {
      [D in keyof Api]: `${D & string}.${Exclude<keyof Api[D] & string, L[D & keyof L] extends readonly (infer M)[] ? M : never>}`;
    }[keyof Api]
  | Exclude<keyof L, keyof Api>;

/**
 * A per-domain method list, checked at compile time against Api: a name Api lacks fails as such,
 * a missing method or an extra domain as a required `problems` property naming it. Curried so
 * that Api is given and the list's literal type inferred.
 */
export function methodList<Api>() {
  return <const L extends MethodLists<Api>>(
    list: L & ([ListProblems<Api, L>] extends [never] ? unknown : { problems: ListProblems<Api, L> }),
  ): L => list;
}

/** The subscriptions of Api: per domain, its methods that return an unsubscribe function, not a Promise. */
export type SubscriptionsOf<Api> = {
  [D in keyof Api as keyof SubscriptionMethods<Api[D]> extends never ? never : D]: SubscriptionMethods<Api[D]>;
};
type SubscriptionMethods<Domain> = {
  [M in keyof Domain as Domain[M] extends (...args: never[]) => Promise<unknown> ? never : M]: Domain[M];
};

/** Every callable method, by domain; transports serve exactly these. */
export const API_METHODS = methodList<StudioApi>()({
  runs: [
    'list',
    'get',
    'estimate',
    'start',
    'pause',
    'resume',
    'cancel',
    'remove',
    'fork',
    'export',
    'exportBundle',
    'importBundle',
    'importTrace',
    'subscribe',
    'bind',
    'activity',
    // Housekeeping (issue 16 item 4)
    'describe',
    'duplicate',
    // Trying criteria on a query (issue 17)
    'catalog',
  ],
  experiments: [
    'list',
    'get',
    'start',
    'cancel',
    'resume',
    'remove',
    'subscribe',
    'activity',
    // Housekeeping (issue 16 item 4)
    'describe',
    'duplicate',
    // Answers item by item (issue 16, items).
    'items',
    'item',
  ],
  datasets: ['list', 'get', 'import', 'save', 'remove'],
  retrieval: ['preview'],
  playground: ['compare'],
  plugins: ['list'],
  secrets: ['list', 'set', 'remove'],
  connections: ['list', 'save', 'remove', 'test', 'activity', 'detect'],
  models: ['catalog', 'list', 'pull'],
  aspects: ['get', 'save', 'parse', 'estimateTry', 'try', 'tryDefaults', 'probes', 'saveProbes'],
  // Judge checks (issue 16).
  judgeChecks: ['estimate', 'run'],
});

/** Methods of the form (...args, listener) => unsubscribe, by domain. */
export const SUBSCRIPTIONS = methodList<SubscriptionsOf<StudioApi>>()({
  runs: ['subscribe'],
  experiments: ['subscribe'],
  playground: ['compare'],
  models: ['pull'],
  aspects: ['try'],
  // Judge checks (issue 16).
  judgeChecks: ['run'],
});

export interface ApiMethodEntry {
  domain: keyof StudioApi;
  method: string;
  /** `domain.method`. */
  name: ApiMethodName;
  /** Its last argument is a listener and it returns its unsubscribe function. */
  subscription: boolean;
}

/** API_METHODS flattened, in order, each marked call or subscription: what every transport walks. */
export const API_METHOD_ENTRIES: readonly ApiMethodEntry[] = Object.entries(API_METHODS).flatMap(
  ([domain, methods]) => {
    const subscriptions: readonly string[] = Object.hasOwn(SUBSCRIPTIONS, domain)
      ? SUBSCRIPTIONS[domain as keyof typeof SUBSCRIPTIONS]
      : [];
    return methods.map((method: string) => ({
      domain: domain as keyof StudioApi,
      method,
      name: `${domain}.${method}` as ApiMethodName,
      subscription: subscriptions.includes(method),
    }));
  },
);

type Listener = (value: unknown) => void;

/** An optional argument left `undefined` is omitted, not sent: JSON would turn it into null, which its schema refuses. */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

/**
 * A StudioApi whose every listed method forwards to `call`, and every subscription (last
 * argument: the listener) to `subscribe`: what each client transport builds on.
 */
export function buildStudioClient(
  call: (domain: string, method: string, args: unknown[]) => Promise<unknown>,
  subscribe: (domain: string, method: string, args: unknown[], listener: Listener) => () => void,
): StudioApi {
  const client: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const { domain, method, subscription } of API_METHOD_ENTRIES) {
    const target = client[domain] ?? {};
    client[domain] = target;
    target[method] = subscription
      ? (...args: unknown[]) => {
          const listener = args.pop();
          if (typeof listener !== 'function')
            throw new TypeError(`${domain}.${method}: the last argument must be a listener`);
          return subscribe(domain, method, args, listener as Listener);
        }
      : (...args: unknown[]) => call(domain, method, withoutTrailingUndefined(args));
  }
  return client as unknown as StudioApi;
}
