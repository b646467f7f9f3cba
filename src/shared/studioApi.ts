// The studio's one service API, shared by both sides. The Electron main process serves it over
// IPC, `drpo-studio serve` over HTTP + server-sent events; the renderer depends only on this
// interface, never on the transport that carries it. Everything that crosses is plain JSON.
//
// Shape rule (what lets one generic transport carry every method): each domain is an object of
// methods that take JSON arguments and return a Promise of JSON, except the methods named in
// SUBSCRIPTIONS, whose last argument is a listener and which return their unsubscribe function.

import type { SettingField } from '../plugins/contract.js';
import type { ExperimentResult } from './experimentTypes.js';

export type RunStage = 'system-prompt' | 'icl';
export type RunStatus = 'running' | 'paused' | 'cancelled' | 'failed' | 'finished';

export interface RunSummary {
  id: string;
  stage: RunStage;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Best ranking score of a node so far; null before any. */
  bestScore: number | null;
  nodeCount: number;
  /** Paid model calls so far. */
  calls: number;
  error?: string;
}

export interface TreeNode {
  id: string;
  parentId: string | null;
  level: number;
  state: string;
  action: 'initial' | 'rewrite' | 'carry-over';
  query: string;
  output?: string;
  reward: number | null;
  score: number | null;
  aspects?: { aspect: string; score: number | null; rationale: string }[];
  /** Why the node has no score (a failed call or an unusable judgement). */
  error?: string;
  /** Selected into the beam of its level. */
  inBeam: boolean;
}

export interface RunDetail extends RunSummary {
  /** The run's config as saved in its folder (secrets only as "env:NAME"). */
  config: unknown;
  tree: TreeNode[];
  /** result.json, once finished. */
  result?: unknown;
}

/** One line of a run's event log, as the engine wrote it. */
export interface RunEventMessage {
  seq: number;
  ts: number;
  type: string;
  [key: string]: unknown;
}

export interface StartRunRequest {
  stage: RunStage;
  /** A run config in the CLI's JSON format; relative paths resolve against the user-data folder. */
  config: Record<string, unknown>;
}

export interface AspectCatalogueDto {
  aspects: { name: string; description: string; enabled: boolean }[];
  staticAspects: string[];
}

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
export interface ConnectionDto {
  plugin: string;
  settings: Record<string, unknown>;
}

export type ExportFormatDto = 'text' | 'messages' | 'modelfile';

export type DatasetKind = 'seed-queries' | 'icl-examples' | 'eval-set';

export interface DatasetItem {
  query: string;
  /** ICL examples only. */
  answer?: string;
  category?: string;
  kind?: string;
  /** Evaluation sets only: the item's id (what an experiment records it judged), its split and its grouping tags (source, task…). */
  id?: string;
  split?: 'regular' | 'safety';
  tags?: Record<string, string[]>;
}

export interface DatasetSummary {
  name: string;
  kind: DatasetKind;
  items: number;
  updatedAt: number;
}

export interface DatasetDto {
  name: string;
  kind: DatasetKind;
  items: DatasetItem[];
}

/** An alignment setup: a system prompt and, optionally, the K examples retrieved from an ICL dataset. */
export interface SetupDto {
  systemPrompt: string;
  iclDataset?: string;
  k?: number;
}

export interface PlaygroundRequest {
  /** A saved connection. */
  connection: string;
  /** How the base model is prompted (see README "Config": drpo, urial, chat, chat-no-system). */
  promptFormat: 'drpo' | 'urial' | 'chat' | 'chat-no-system';
  query: string;
  a: SetupDto;
  b: SetupDto;
  maxTokens?: number;
}

export type PlaygroundEvent =
  | { side: 'a' | 'b'; type: 'chunk'; text: string }
  | { side: 'a' | 'b'; type: 'done'; text: string; examples: string[] }
  | { side: 'a' | 'b'; type: 'error'; error: string };

/** A run to share: its config (secrets only as references), its whole event log and its result. */
export interface RunBundle {
  format: 'drpo-studio-run-bundle';
  version: 1;
  stage: RunStage;
  config: unknown;
  events: RunEventMessage[];
  result?: unknown;
}

/** Running, or stopped before the end (cancelled, failed: `resume` continues it), or finished. */
export type ExperimentStatus = 'running' | 'cancelled' | 'failed' | 'finished';

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
}

/** How far an experiment is, from its log. */
export interface ExperimentProgress {
  total: number;
  answered: number;
  /** Answers the judge is done with, `unjudged` (no usable judgement) included. */
  judged: number;
  unjudged: number;
  /** Paid model calls and their cost so far. */
  calls: number;
  costUsd: number;
  /** The same, per setup on each target. */
  cells: { setup: string; target: string; total: number; answered: number; judged: number; unjudged: number }[];
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

export interface StartExperimentRequest {
  /**
   * An experiment config in the CLI's JSON format (README "Experiments"). Relative paths resolve
   * against the user-data folder; a backend may be `{ "connection": NAME }`; `evalSet.dataset`
   * names a saved dataset of kind eval-set in place of `evalSet.file`.
   */
  config: Record<string, unknown>;
}

export interface StudioApi {
  runs: {
    list(): Promise<RunSummary[]>;
    get(id: string): Promise<RunDetail>;
    /** Calls and tokens per role before anything runs (appendix A.5). */
    estimate(request: StartRunRequest): Promise<{ a5: Record<string, number>; planned: Record<string, number> }>;
    start(request: StartRunRequest): Promise<{ id: string }>;
    /** Stops now, keeping every finished call; `resume` continues where it stopped (also after a restart). */
    pause(id: string): Promise<void>;
    resume(id: string): Promise<void>;
    cancel(id: string): Promise<void>;
    /** A new run of the same config that starts from one node's prompt. */
    fork(id: string, nodeId: string): Promise<{ id: string }>;
    /** The finished run's prompt and ICL set, ready to ship. */
    export(id: string, format: ExportFormatDto, options?: { model?: string }): Promise<string>;
    /** The run as one JSON document another installation can import. */
    exportBundle(id: string): Promise<RunBundle>;
    importBundle(bundle: RunBundle): Promise<{ id: string }>;
    /** The run's events from seq `fromSeq` on (0: all), then the live ones, until unsubscribed. */
    subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void;
  };
  experiments: {
    list(): Promise<ExperimentSummary[]>;
    get(id: string): Promise<ExperimentDetail>;
    start(request: StartExperimentRequest): Promise<{ id: string }>;
    /** Stops now, keeping every finished call and judgement; `resume` continues (also after a restart), re-paying nothing. */
    cancel(id: string): Promise<void>;
    resume(id: string): Promise<void>;
    /** The experiment's events from seq `fromSeq` on (0: all), then the live ones, until unsubscribed. */
    subscribe(id: string, fromSeq: number, listener: (event: RunEventMessage) => void): () => void;
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
    list(): Promise<{ available: boolean; names: string[] }>;
    set(name: string, value: string): Promise<void>;
    remove(name: string): Promise<void>;
  };
  connections: {
    list(): Promise<Record<string, ConnectionDto>>;
    save(name: string, connection: ConnectionDto): Promise<void>;
    remove(name: string): Promise<void>;
    /** Connects and lists the models: the connection test. */
    test(
      name: string,
    ): Promise<{ ok: true; models: { id: string; contextLength?: number }[] } | { ok: false; error: string }>;
  };
  aspects: {
    get(): Promise<AspectCatalogueDto>;
    save(catalogue: AspectCatalogueDto): Promise<void>;
  };
}

/** Methods of the form (...args, listener) => unsubscribe, by domain. */
export const SUBSCRIPTIONS: Record<string, readonly string[]> = {
  runs: ['subscribe'],
  experiments: ['subscribe'],
  playground: ['compare'],
};

/** Every callable method, by domain; transports serve exactly these. */
export const API_METHODS: Record<keyof StudioApi, readonly string[]> = {
  runs: [
    'list',
    'get',
    'estimate',
    'start',
    'pause',
    'resume',
    'cancel',
    'fork',
    'export',
    'exportBundle',
    'importBundle',
    'subscribe',
  ],
  experiments: ['list', 'get', 'start', 'cancel', 'resume', 'subscribe'],
  datasets: ['list', 'get', 'import', 'save', 'remove'],
  retrieval: ['preview'],
  playground: ['compare'],
  plugins: ['list'],
  secrets: ['list', 'set', 'remove'],
  connections: ['list', 'save', 'remove', 'test'],
  aspects: ['get', 'save'],
};

type Listener = (value: unknown) => void;

/**
 * A StudioApi whose every listed method forwards to `call`, and every subscription (last
 * argument: the listener) to `subscribe`: what each client transport builds on.
 */
export function buildStudioClient(
  call: (domain: string, method: string, args: unknown[]) => Promise<unknown>,
  subscribe: (domain: string, method: string, args: unknown[], listener: Listener) => () => void,
): StudioApi {
  const client: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const [domain, methods] of Object.entries(API_METHODS)) {
    const subscriptions = Object.hasOwn(SUBSCRIPTIONS, domain) ? (SUBSCRIPTIONS[domain] ?? []) : [];
    const target: Record<string, (...args: unknown[]) => unknown> = {};
    for (const method of methods) {
      target[method] = subscriptions.includes(method)
        ? (...args: unknown[]) => {
            const listener = args.pop();
            if (typeof listener !== 'function')
              throw new TypeError(`${domain}.${method}: the last argument must be a listener`);
            return subscribe(domain, method, args, listener as Listener);
          }
        : (...args: unknown[]) => call(domain, method, args);
    }
    client[domain] = target;
  }
  return client as unknown as StudioApi;
}
