// Where an experiment's answers and judgments live, read item by item: judgements.jsonl once it
// has finished (every answer with its scores, reasons and the judge's exact prompt; the failed
// ones are in result.json), else its log's eval events as they stand (eval-answer, eval-judged,
// eval-unjudged, eval-failed; a line still being written left out). Both are files anyone could
// have edited: every line is checked, and one that cannot be read — not JSON, the wrong shape, a
// score off the 1–5 scale, a setup, target or item the experiment does not have — is named (file,
// line, why) and left out, never taken for an answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isRecordKey } from '../../shared/safeName.js';
import type { DamagedLine } from '../../shared/studioApi.js';
import { type ItemOutcome, outcomeKey } from './itemTable.js';

/** What the experiment has: a line naming anything else is damaged. */
export interface ExperimentCells {
  setups: readonly string[];
  targets: readonly string[];
  itemIds: ReadonlySet<string>;
}

export interface ItemOutcomes {
  outcomes: Map<string, ItemOutcome>;
  damaged: DamagedLine[];
}

/** An aspect's name is a key of a record the renderer reads: never '__proto__'. */
const aspect = z.string().refine(isRecordKey, 'an aspect named "__proto__"');
const scores = z.record(aspect, z.number().min(1).max(5).nullable());
const reasons = z.record(aspect, z.string());
const where = { setup: z.string(), target: z.string(), itemId: z.string() };

/** A line of judgements.jsonl (JudgmentRecord; its split and tags are items.json's to say). */
const judgmentLine = z.looseObject({
  ...where,
  answer: z.string(),
  scores: scores.nullable(),
  reasons: reasons.optional(),
  error: z.string().optional(),
  judgePrompt: z.string().optional(),
});

/** The log's events that carry an answer or its judgment (experimentEvents.ts); others are not read here. */
const evalEvent = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('eval-answer'), ...where, answer: z.string() }),
  z.looseObject({ type: z.literal('eval-judged'), ...where, scores, reasons }),
  z.looseObject({ type: z.literal('eval-unjudged'), ...where, error: z.string() }),
  z.looseObject({ type: z.literal('eval-failed'), ...where, error: z.string() }),
]);
const EVAL_TYPES = new Set(['eval-answer', 'eval-judged', 'eval-unjudged', 'eval-failed']);

const firstIssue = (error: z.ZodError): string => {
  const issue = error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
};

/** Each complete line's JSON (1-based line numbers), or why it is not JSON; `partialLast`: a last line without its newline is left out. */
function* jsonLines(file: string, partialLast: boolean): Generator<{ line: number; value?: unknown; error?: string }> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (partialLast || lines[lines.length - 1] === '') lines.pop();
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      yield { line: index + 1, value: JSON.parse(line) };
    } catch {
      yield { line: index + 1, error: 'not JSON' };
    }
  }
}

/** Why a line's setup, target or item is not the experiment's; undefined when they all are. */
function strangerIn(cells: ExperimentCells, line: Placed): string | undefined {
  if (!cells.setups.includes(line.setup)) return `setup "${line.setup}" is not one of the experiment's`;
  if (!cells.targets.includes(line.target)) return `target "${line.target}" is not one of the experiment's`;
  if (!cells.itemIds.has(line.itemId)) return `item "${line.itemId}" is not one of the experiment's`;
  return undefined;
}

type Placed = { setup: string; target: string; itemId: string };

/** The line's checked value, or why it cannot be taken: not JSON, the wrong shape, or naming what the experiment lacks. */
function checked<T extends Placed>(
  schema: z.ZodType<T>,
  entry: { value?: unknown; error?: string },
  cells: ExperimentCells,
): { data: T } | { reason: string } {
  if (entry.error !== undefined) return { reason: entry.error };
  const parsed = schema.safeParse(entry.value);
  if (!parsed.success) return { reason: firstIssue(parsed.error) };
  const stranger = strangerIn(cells, parsed.data);
  return stranger === undefined ? { data: parsed.data } : { reason: stranger };
}

/** judgements.jsonl of a finished experiment, and the answers its result lists as failed. */
export function readJudgementsFile(
  file: string,
  cells: ExperimentCells,
  failures: readonly { setup: string; target: string; itemId: string; error: string }[] = [],
): ItemOutcomes {
  const outcomes = new Map<string, ItemOutcome>();
  const damaged: DamagedLine[] = [];
  const name = path.basename(file);
  for (const entry of jsonLines(file, false)) {
    const line = checked(judgmentLine, entry, cells);
    if ('reason' in line) {
      damaged.push({ file: name, line: entry.line, reason: line.reason });
      continue;
    }
    const record = line.data;
    const key = outcomeKey(record.setup, record.target, record.itemId);
    if (outcomes.has(key)) {
      damaged.push({
        file: name,
        line: entry.line,
        reason: `a second record of ${record.setup} @ ${record.target}, item ${record.itemId}`,
      });
      continue;
    }
    outcomes.set(
      key,
      record.scores === null
        ? {
            status: 'unjudged',
            answer: record.answer,
            error: record.error ?? 'the judgment could not be read',
            ...(record.judgePrompt === undefined ? {} : { judgePrompt: record.judgePrompt }),
          }
        : {
            status: 'judged',
            answer: record.answer,
            scores: record.scores,
            reasons: record.reasons ?? {},
            ...(record.judgePrompt === undefined ? {} : { judgePrompt: record.judgePrompt }),
          },
    );
  }
  for (const failure of failures) {
    const key = outcomeKey(failure.setup, failure.target, failure.itemId);
    if (!outcomes.has(key)) outcomes.set(key, { status: 'failed', error: failure.error });
  }
  return { outcomes, damaged };
}

/** The log's eval events as they stand: each answer's latest outcome (a resume may judge an item that failed before). */
export function readLogOutcomes(file: string, cells: ExperimentCells): ItemOutcomes {
  const outcomes = new Map<string, ItemOutcome>();
  const damaged: DamagedLine[] = [];
  const name = path.basename(file);
  for (const entry of jsonLines(file, true)) {
    const type = (entry.value as { type?: unknown } | null)?.type;
    // Calls, lifecycle and the rest of the log are not answers: only a line that is not JSON at all is named among them.
    if (entry.error === undefined && !(typeof type === 'string' && EVAL_TYPES.has(type))) continue;
    const line = checked(evalEvent, entry, cells);
    if ('reason' in line) {
      damaged.push({ file: name, line: entry.line, reason: line.reason });
      continue;
    }
    const event = line.data;
    const key = outcomeKey(event.setup, event.target, event.itemId);
    const answer = outcomes.get(key)?.answer;
    const answered = answer === undefined ? {} : { answer };
    switch (event.type) {
      case 'eval-answer':
        outcomes.set(key, { status: 'answered', answer: event.answer });
        break;
      case 'eval-judged':
        outcomes.set(key, { status: 'judged', ...answered, scores: event.scores, reasons: event.reasons });
        break;
      case 'eval-unjudged':
      case 'eval-failed':
        outcomes.set(key, {
          status: event.type === 'eval-failed' ? 'failed' : 'unjudged',
          ...answered,
          error: event.error,
        });
        break;
    }
  }
  return { outcomes, damaged };
}
