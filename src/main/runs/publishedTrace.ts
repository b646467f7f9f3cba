// A search the paper published (`optimized-prompts/<model>/trace.json`: per level, the prompt and
// the judge's evaluation of it) as a read-only run of the studio, to put beside the user's own.
// The trace is one path of the reference's beam. Its "level 1" evaluates the initial prompt, which
// the studio's search calls level 0, so "level N" becomes level N-1 here. A level whose prompt
// equals the previous one's was carried over, any other was rewritten; the reward is the mean of
// the aspect scores and the path score the mean of the rewards below the root, as the engine ranks
// (engine/search/searchNode.ts). The trace holds no queries, no answers and none of the beam's
// other candidates: the run has none either (a node's query is empty, its output absent).
// The file is somebody else's: its size is capped, its levels must be "level 1", "level 2"… in
// order, and a score other than "1".."5" refuses the file, naming the level and the aspect.
import path from 'node:path';
import { z } from 'zod';
import { plainMessage } from '../../shared/argumentIssues.js';
import { LIMITS } from '../../shared/requestLimits.js';
import type { RunEventMessage, RunSource } from '../../shared/studioApi.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig } from '../config/runConfig.js';
import { parseJson } from '../data/jsonFiles.js';
import { writeFileAtomic } from '../store/privateFiles.js';
import { createRunFolder, writeResult } from '../store/runFolder.js';

/** The most a trace file may hold: the paper's are about 110 kB. */
export const TRACE_MAX_BYTES = LIMITS.traceBytes;

/** The run's one backend: it never opens (it "needs a connection" that the studio refuses to bind). */
const NO_BACKEND = 'published-trace';
const EVALUATION = 'Evaluation of the prompt';
const LEVEL_KEY = /^level ([1-9]\d*)$/;

const score = z.enum(['1', '2', '3', '4', '5'], {
  error: (issue) => `expected a score "1" to "5", got ${JSON.stringify(issue.input)}`,
});
const aspectSchema = z.strictObject({ rationale: z.string(), score });
const levelSchema = z.strictObject({ Prompt: z.string(), [EVALUATION]: z.record(z.string(), z.unknown()) });

export interface TraceLevel {
  prompt: string;
  scores: { aspect: string; score: number; rationale: string }[];
}

const invalid = (message: string) => new StudioApiError('invalid-argument', message);

/** "trace: level 3: Prompt: …" for the first of zod's findings, under `prefix`. */
function firstIssue(prefix: string[], error: z.ZodError): StudioApiError {
  const issue = error.issues[0]!;
  return invalid([...prefix, ...issue.path.map(String), issue.message].join(': '));
}

/** The levels' keys if they are "level 1", "level 2"… in this order; else an error naming the first fault. */
function checkLevelKeys(keys: string[], where: string): void {
  if (keys.length === 0) throw invalid(`${where}: no levels (expected "level 1", "level 2"…)`);
  const numbers = keys.map((key) => {
    const match = LEVEL_KEY.exec(key);
    if (!match)
      throw invalid(`${where}: ${JSON.stringify(key)} is not a level (expected "level 1", "level 2"… in order)`);
    return Number(match[1]);
  });
  // Distinct (keys of one object, without leading zeros): sorted, level n sits at n-1 unless one is missing.
  const sorted = [...numbers].sort((a, b) => a - b);
  const gap = sorted.findIndex((n, i) => n !== i + 1);
  if (gap >= 0)
    throw invalid(
      `${where}: level ${gap + 1} is missing (the file has ${keys.length} levels, up to level ${sorted.at(-1)})`,
    );
  numbers.forEach((n, i) => {
    if (n !== i + 1)
      throw invalid(`${where}: level ${n} comes where level ${i + 1} should; the levels must be in order`);
  });
}

/** The level's aspect scores, from the file's own entries (a record rebuilt by zod drops one named "__proto__"). */
function levelScores(evaluation: Record<string, unknown>, prefix: string[]): TraceLevel['scores'] {
  const aspects = Object.entries(evaluation);
  if (aspects.length === 0) throw invalid([...prefix, EVALUATION, 'no aspect is scored'].join(': '));
  return aspects.map(([aspect, value]) => {
    const parsed = aspectSchema.safeParse(value, { error: plainMessage });
    if (!parsed.success) throw firstIssue([...prefix, `aspect ${JSON.stringify(aspect)}`], parsed.error);
    return { aspect, score: Number(parsed.data.score), rationale: parsed.data.rationale };
  });
}

/** The trace's levels in order; a file that is not one is an invalid-argument error naming `where` and the fault. */
export function parseTrace(text: string, where = 'trace'): TraceLevel[] {
  const bytes = Buffer.byteLength(text);
  if (bytes > TRACE_MAX_BYTES)
    throw invalid(
      `${where}: ${(bytes / 2 ** 20).toFixed(1)} MiB is more than a published trace may be (${TRACE_MAX_BYTES / 2 ** 20} MiB; the paper's are about 110 kB)`,
    );
  let json: unknown;
  try {
    json = parseJson(text, where);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw invalid(`${where}: expected an object of levels ("level 1": {"Prompt", "${EVALUATION}"}, …)`);
  const entries = Object.entries(json);
  checkLevelKeys(
    entries.map(([key]) => key),
    where,
  );
  return entries.map(([key, value]) => {
    const parsed = levelSchema.safeParse(value, { error: plainMessage });
    if (!parsed.success) throw firstIssue([where, key], parsed.error);
    const evaluation = (value as Record<string, Record<string, unknown>>)[EVALUATION]!;
    return { prompt: parsed.data.Prompt, scores: levelScores(evaluation, [where, key]) };
  });
}

/** Node ids name the trace's level: "level N" of the file is node trace-N, at level N-1 of the tree. */
const nodeId = (index: number) => `trace-${index + 1}`;

/**
 * Each level's reward (the mean of its aspect scores) and path score. The root's reward is feedback
 * only: below it, a node ranks by the mean of the rewards along its path (engine/search/searchNode.ts).
 */
export function traceScores(levels: readonly TraceLevel[]): { reward: number; score: number }[] {
  let sum = 0;
  return levels.map((level, i) => {
    const reward = level.scores.reduce((total, s) => total + s.score, 0) / level.scores.length;
    if (i === 0) return { reward, score: reward };
    sum += reward;
    return { reward, score: sum / i };
  });
}

/** The run's log: each level's node (its parent the level before), its evaluation and its beam; then the end. */
export function traceEvents(levels: readonly TraceLevel[], ts: number): RunEventMessage[] {
  const scores = traceScores(levels);
  const events = levels.flatMap((level, i) => {
    const id = nodeId(i);
    const previous = levels[i - 1];
    const { reward, score } = scores[i]!;
    return [
      {
        type: 'node',
        id,
        parentId: previous ? nodeId(i - 1) : null,
        level: i,
        state: level.prompt,
        action: !previous ? 'initial' : previous.prompt === level.prompt ? 'carry-over' : 'rewrite',
        query: '',
      },
      { type: 'node-evaluated', id, evaluation: { ok: true, scores: level.scores, reward }, reward, score },
      { type: 'beam', level: i, ids: [id] },
    ];
  });
  return [...events, { type: 'run-finished' }].map((event, seq) => ({ seq, ts, ...event }));
}

/** What result.json says of a published trace. */
const traceResultSchema = z.looseObject({
  source: z.looseObject({ kind: z.literal('published-trace'), model: z.string() }),
});

/** The run's source when its result says it is a published trace; undefined for any other run. */
export function publishedTraceOf(result: unknown): RunSource | undefined {
  const parsed = traceResultSchema.safeParse(result);
  return parsed.success ? { kind: 'published-trace', model: parsed.data.source.model } : undefined;
}

/** The conflict error for doing `what` (resume, fork…) with a published trace. */
export function readOnlyError(id: string, source: RunSource, what: string): StudioApiError {
  return new StudioApiError(
    'conflict',
    `run ${id} is the published trace of ${source.model}: read-only, it cannot be ${what} (it holds no config to run, no queries and no answers)`,
  );
}

/** A model name as a label: one line, not empty, not a novel. */
const modelSchema = z
  .string()
  .trim()
  .min(1, 'name the model the trace was published for (its folder in optimized-prompts/)')
  .max(200)
  .refine((m) => !/[\p{Cc}]/u.test(m), 'expected one line of text');

/**
 * Writes the trace as a new finished run folder in `runsDir` and returns its id; nothing is
 * written when the trace or the model name is refused. `where` names the file in errors.
 */
export function importTrace(options: {
  runsDir: string;
  /** Where the config's relative paths would resolve (the user-data folder). */
  baseDir: string;
  model: string;
  text: string;
  where?: string;
  /** Who the folder's lock names while it is written. */
  holder: string;
}): string {
  const modelCheck = modelSchema.safeParse(options.model, { error: plainMessage });
  if (!modelCheck.success) throw invalid(`model: ${modelCheck.error.issues[0]!.message}`);
  const model = modelCheck.data;
  const levels = parseTrace(options.text, options.where);
  const config = normalizeConfig(
    {
      backends: { [NO_BACKEND]: { needsConnection: true } },
      initialPrompt: levels[0]!.prompt,
      runsDir: path.resolve(options.runsDir),
      cacheDir: null,
    },
    options.baseDir,
  );
  const folder = createRunFolder(config, 'system-prompt', options.holder);
  try {
    const events = traceEvents(levels, Date.now());
    writeFileAtomic(path.join(folder.dir, 'events.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    writeResult(folder.dir, {
      stage: 'system-prompt',
      runId: folder.id,
      source: { kind: 'published-trace', model, levels: levels.length },
      status: 'finished',
      // The trace's last level: the prompt the paper published for the model (its output.txt).
      bestPrompt: levels.at(-1)!.prompt,
      bestNodeId: nodeId(levels.length - 1),
      score: traceScores(levels).at(-1)!.score,
      initialPrompt: levels[0]!.prompt,
    });
  } finally {
    folder.lock.release();
  }
  return folder.id;
}
