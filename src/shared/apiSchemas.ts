// The StudioApi's arguments as zod schemas: one table keyed by `domain.method` that both
// transports validate every call against where it enters (HTTP, IPC), and from which the
// contract's argument types are derived (z.input), so the checks and the types cannot drift.
// Shapes only, except the run config, which is checked against its full schema. The service gets
// the arguments as they were sent (no defaults filled in); validating only decides whether it is
// called. Imported at runtime by the main process only: the renderer takes types from here.
import { z } from 'zod';
import { argumentIssues, invalidArgument, plainMessage } from './argumentIssues.js';
import { aspectCatalogSchema, aspectProbesSchema, aspectTryRequestSchema } from './aspectTry.js';
import { judgeCheckRequestSchema } from './judgeCheckRequest.js';
import { LIMITS } from './requestLimits.js';
import { budgetSchema, runConfigSchema, wholeNumber } from './runConfigSchema.js';
import { PROMPT_FORMATS, RUN_STAGES } from './runOptions.js';
import { isRecordKey, isSafeName, SAFE_NAME_RULE } from './safeName.js';
import type { ApiMethodName, StudioApi } from './studioApi.js';

const name = z.string().min(1);
const text = z.string();
/** A run or experiment id, or a dataset name: each becomes a file name, so never '..' (safeName.ts). */
const pathName = name.refine(isSafeName, `expected ${SAFE_NAME_RULE}`);
/** A connection's or stored key's name: a key of a JSON record, so never '__proto__'. */
const recordKey = name.refine(isRecordKey, 'expected a name other than "__proto__"');

export const startRunRequestSchema = z.object({
  stage: z.enum(RUN_STAGES),
  /** A run config in the CLI's JSON format; relative paths resolve against the user-data folder. */
  config: runConfigSchema,
});

export const startExperimentRequestSchema = z.object({
  /**
   * An experiment config in the CLI's JSON format (README "Experiments"). Relative paths resolve
   * against the user-data folder; a backend may be `{ "connection": NAME }`; `evalSet.dataset`
   * names a saved dataset of kind eval-set in place of `evalSet.file`. Checked in full by the
   * experiment config's own schema when the experiment starts.
   */
  config: z.record(z.string(), z.unknown()),
});

// --- Answers item by item (issue 16, items) ---
/** Rows a page of experiments.items holds at most. */
export const ITEM_PAGE_MAX = 500;

/** experiments.items: which items of an experiment, in which order (experiments/itemTable.ts). */
export const experimentItemQuerySchema = z.object({
  split: z.enum(['all', 'regular', 'safety']).optional(),
  /** Items whose tags hold this value in this dimension (source, task, topic…). */
  category: z.object({ dimension: z.string(), value: z.string() }).optional(),
  /** Text the instruction or an answer holds (case-insensitive). */
  search: z.string().max(1000).optional(),
  /** Two setups: each row gets the score difference A − B. */
  compare: z.object({ a: name, b: name }).optional(),
  /** The evaluation set's order (default), or by the difference (needs `compare`), items without one last. */
  order: z.enum(['file', 'difference-desc', 'difference-asc']).optional(),
  offset: wholeNumber(0).optional(),
  limit: wholeNumber(1, ITEM_PAGE_MAX).optional(),
});
// --- end of answers item by item ---

export const EXPORT_FORMATS = ['text', 'messages', 'modelfile'] as const;

/** One line of a run's event log, as the engine wrote it. */
export const runEventSchema = z.looseObject({ seq: z.number(), ts: z.number(), type: z.string() });

/** A run to share: its config (secrets only as references), its whole event log and its result. */
export const runBundleSchema = z.object({
  format: z.literal('drpo-studio-run-bundle'),
  version: z.literal(1),
  stage: z.enum(RUN_STAGES),
  config: z.unknown(),
  events: z.array(runEventSchema),
  result: z.unknown().optional(),
  /** The aspect catalog the run used (issue 17); absent in bundles made before runs recorded it. */
  catalog: aspectCatalogSchema.optional(),
});

/** A published search trace to open as a read-only run: the model it was published for and the file's text. */
export const importTraceRequestSchema = z.object({
  model: z.string(),
  content: text.max(LIMITS.traceBytes),
});

export const DATASET_KINDS = ['seed-queries', 'icl-examples', 'eval-set'] as const;

export const datasetItemSchema = z.object({
  query: z.string(),
  /** ICL examples only. */
  answer: z.string().optional(),
  category: z.string().optional(),
  kind: z.string().optional(),
  /** Evaluation sets only: the item's id (what an experiment records it judged), its split and its grouping tags (source, task…). */
  id: z.string().optional(),
  split: z.enum(['regular', 'safety']).optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

export const datasetSchema = z.object({
  name: pathName,
  kind: z.enum(DATASET_KINDS),
  items: z.array(datasetItemSchema).max(LIMITS.datasetItems),
});

/** An alignment setup: a system prompt and, optionally, the K examples retrieved from an ICL dataset. */
export const setupSchema = z.object({
  systemPrompt: z.string(),
  iclDataset: pathName.optional(),
  k: wholeNumber(0, LIMITS.retrievalK).optional(),
});

export const playgroundRequestSchema = z.object({
  /** A saved connection. */
  connection: recordKey,
  /** How the base model is prompted (see README "Config"). */
  promptFormat: z.enum(PROMPT_FORMATS),
  query: z.string(),
  a: setupSchema,
  b: setupSchema,
  maxTokens: wholeNumber(1, LIMITS.maxTokens).optional(),
});

/** A saved backend connection; secret settings only ever as "env:NAME" (the renderer sees no secret). */
export const connectionSchema = z.object({ plugin: name, settings: z.record(z.string(), z.unknown()) });

/** An address to probe for a model server: http(s) only, so a request never names a file or another scheme. */
const httpAddress = z.url({ protocol: /^https?$/ }).max(2048);

export const modelPullRequestSchema = z.object({
  /** `hf:owner/repo/file.gguf` or an http(s) URL; checked in full by the downloader. */
  source: z.string().min(1).max(2048),
  connection: recordKey.refine((n) => /^[\w.-]+$/.test(n), "expected letters, digits, '.', '_' and '-'").optional(),
});

/** A method's parameters: their names (for messages), how many must be given, and their schemas, in order. */
export interface Signature<T extends z.ZodType = z.ZodType> {
  names: readonly string[];
  required: number;
  args: T;
}

/** A method's parameters: their schemas as a tuple, then their names, one per schema. */
function signature<T extends z.core.util.TupleItems>(
  args: z.ZodTuple<T, null>,
  ...names: { -readonly [I in keyof T]: string }
): Signature<z.ZodTuple<T, null>> {
  const required = args.def.items.filter((item) => item._zod.optin !== 'optional').length;
  return { names, required, args };
}

const none = signature(z.tuple([]));
const byId = signature(z.tuple([pathName]), 'id');
const byDatasetName = signature(z.tuple([pathName]), 'name');
const byKeyName = signature(z.tuple([recordKey]), 'name');
const subscription = signature(z.tuple([pathName, wholeNumber(0)]), 'id', 'fromSeq');
const startRun = signature(z.tuple([startRunRequestSchema]), 'request');
// Housekeeping (issue 16 item 4): a name is one line; notes are free text.
const itemDescriptionSchema = z.strictObject({
  name: text
    .max(LIMITS.itemName)
    .refine((n) => !/[\r\n]/.test(n), 'a name is one line')
    .optional(),
  notes: text.max(LIMITS.itemNotes).optional(),
});
const describeItem = signature(z.tuple([pathName, itemDescriptionSchema]), 'id', 'description');
/** A run's or an experiment's resume, with the new limits of its budget (money and time, issue 16). */
const resumeWithBudget = signature(
  z.tuple([pathName, z.object({ budget: budgetSchema.optional() }).strict().optional()]),
  'id',
  'options',
);

/** Every method's parameters, by `domain.method`. Subscriptions list theirs without the listener. */
export const API_ARGUMENTS = {
  'runs.list': none,
  'runs.get': byId,
  'runs.estimate': startRun,
  'runs.start': startRun,
  'runs.pause': byId,
  'runs.resume': resumeWithBudget,
  'runs.cancel': byId,
  'runs.remove': byId,
  'runs.fork': signature(z.tuple([pathName, name]), 'id', 'nodeId'),
  'runs.export': signature(
    z.tuple([pathName, z.enum(EXPORT_FORMATS), z.object({ model: z.string().optional() }).optional()]),
    'id',
    'format',
    'options',
  ),
  'runs.exportBundle': byId,
  'runs.importBundle': signature(z.tuple([runBundleSchema]), 'bundle'),
  'runs.importTrace': signature(z.tuple([importTraceRequestSchema]), 'request'),
  'runs.subscribe': subscription,
  'runs.bind': signature(z.tuple([name, z.record(name, name)]), 'id', 'bindings'),
  'runs.activity': byId,
  'experiments.list': none,
  'experiments.get': byId,
  'experiments.start': signature(z.tuple([startExperimentRequestSchema]), 'request'),
  'experiments.cancel': byId,
  'experiments.resume': resumeWithBudget,
  'experiments.remove': byId,
  'experiments.subscribe': subscription,
  'experiments.activity': byId,
  'datasets.list': none,
  'datasets.get': byDatasetName,
  'datasets.import': signature(
    z.tuple([pathName, z.enum(DATASET_KINDS), text, text.max(LIMITS.importChars)]),
    'name',
    'kind',
    'fileName',
    'content',
  ),
  'datasets.save': signature(z.tuple([datasetSchema]), 'dataset'),
  'datasets.remove': byDatasetName,
  'retrieval.preview': signature(z.tuple([pathName, text, wholeNumber(0, LIMITS.retrievalK)]), 'dataset', 'query', 'k'),
  'playground.compare': signature(z.tuple([playgroundRequestSchema]), 'request'),
  'plugins.list': none,
  'secrets.list': none,
  'secrets.set': signature(
    z.tuple([recordKey, text, z.object({ acceptWeakStorage: z.boolean().optional() }).optional()]),
    'name',
    'value',
    'options',
  ),
  'secrets.remove': byKeyName,
  'connections.list': none,
  'connections.save': signature(z.tuple([recordKey, connectionSchema]), 'name', 'connection'),
  'connections.remove': byKeyName,
  'connections.test': byKeyName,
  'connections.activity': none,
  'connections.detect': signature(z.tuple([z.array(httpAddress).max(LIMITS.detectAddresses).optional()]), 'addresses'),
  'models.catalog': none,
  'models.list': none,
  'models.pull': signature(z.tuple([modelPullRequestSchema]), 'request'),
  'aspects.get': none,
  'aspects.save': signature(z.tuple([aspectCatalogSchema]), 'catalog'),
  // Trying criteria on a query (issue 17).
  'aspects.parse': signature(z.tuple([text.max(LIMITS.catalogBytes)]), 'text'),
  'aspects.estimateTry': signature(z.tuple([aspectTryRequestSchema]), 'request'),
  'aspects.try': signature(z.tuple([aspectTryRequestSchema]), 'request'),
  'aspects.tryDefaults': none,
  'aspects.probes': none,
  'aspects.saveProbes': signature(z.tuple([aspectProbesSchema]), 'probes'),
  // Judge checks (issue 16).
  'judgeChecks.estimate': signature(z.tuple([judgeCheckRequestSchema]), 'request'),
  'judgeChecks.run': signature(z.tuple([judgeCheckRequestSchema]), 'request'),
  // Answers item by item (issue 16, items).
  'experiments.items': signature(z.tuple([pathName, experimentItemQuerySchema]), 'id', 'query'),
  'experiments.item': signature(z.tuple([pathName, name]), 'id', 'itemId'),
  // Housekeeping (issue 16 item 4)
  'runs.describe': describeItem,
  'runs.duplicate': byId,
  'runs.catalog': byId,
  'experiments.describe': describeItem,
  'experiments.duplicate': byId,
} satisfies ArgumentTable;

/**
 * What the table must be: a signature for every method of the contract and nothing else, each
 * taking no more than the method's parameters (test/types/apiContract.ts checks the converse).
 */
export type ArgumentTable = { [K in ApiMethodName]: Signature<z.ZodType<unknown, ArgumentsOf<K>>> };

/** What a method takes over the wire: its parameters, less the listener of a subscription (a method that returns no Promise). */
export type ArgumentsOf<K extends ApiMethodName> = K extends `${infer D extends keyof StudioApi}.${infer M}`
  ? M extends keyof StudioApi[D]
    ? StudioApi[D][M] extends (...args: infer P) => infer R
      ? R extends Promise<unknown>
        ? P
        : P extends [...infer A, unknown]
          ? A
          : never
      : never
    : never
  : never;

/**
 * The arguments of `domain.method` if they match its schema, else an invalid-argument
 * StudioApiError naming each wrong field. A parameter called `request` is the whole call, so its
 * fields are named bare (`runs.start: config.search.width: …`).
 */
export function checkArguments(method: ApiMethodName, args: readonly unknown[]): unknown[] {
  const { names, required, args: schema } = API_ARGUMENTS[method] as Signature;
  if (args.length < required || args.length > names.length) {
    const range = required === names.length ? `${required}` : `${required} to ${names.length}`;
    const list = names.length > 0 ? ` (${names.join(', ')})` : '';
    throw invalidArgument(method, [
      { path: '', message: `expected ${range} argument${names.length === 1 ? '' : 's'}${list}, got ${args.length}` },
    ]);
  }
  const parsed = schema.safeParse(args, { error: plainMessage });
  if (!parsed.success) {
    const label = (index: PropertyKey): string => {
      const param = names[Number(index)] ?? String(index);
      return param === 'request' ? '' : param;
    };
    throw invalidArgument(method, argumentIssues(parsed.error, label));
  }
  return [...args];
}
