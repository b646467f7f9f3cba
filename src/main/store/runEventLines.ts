// The lines of a run's event log as a zod schema: what the studio checks a log it did not write
// (an imported bundle's) against before keeping it. Strict objects, so a line is exactly what the
// engine, the model layer and the run lifecycle write (src/main/engine/events.ts,
// src/main/llm/callEvents.ts, runLog.ts), in order from seq 0.
import { z } from 'zod';
import { MODEL_ERROR_KINDS } from '../../plugins/contract.js';
import { argumentIssues, invalidArgument, plainMessage } from '../../shared/argumentIssues.js';
import { PROMPT_FORMATS, ROLES, RUN_STAGES } from '../../shared/runOptions.js';
import type { LoggedEvent } from './runLog.js';

const role = z.enum(ROLES);
const errorKind = z.enum(MODEL_ERROR_KINDS);
const count = z.number().int().min(0);
const score = z.number().nullable();
const line = <T extends z.core.$ZodLooseShape>(type: string, shape: T) =>
  z.strictObject({ seq: count, ts: z.number(), type: z.literal(type), ...shape });

const evaluation = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    scores: z.array(z.strictObject({ aspect: z.string(), score, rationale: z.string() })),
    reward: z.number(),
  }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);

const runEventLine = z.discriminatedUnion('type', [
  line('selection', {
    query: z.string(),
    selection: z.strictObject({
      aspects: z.array(z.string()),
      reasoning: z.string(),
      source: z.enum(['selector', 'imported', 'static', 'fallback']),
    }),
  }),
  line('parse-failure', {
    role,
    purpose: z.enum(['selection', 'judgement', 'transition']),
    error: z.string(),
    raw: z.string(),
    query: z.string().optional(),
    nodeId: z.string().optional(),
  }),
  line('node', {
    id: z.string(),
    parentId: z.string().nullable(),
    level: count,
    state: z.string(),
    action: z.enum(['initial', 'rewrite', 'carry-over']),
    query: z.string(),
    analysis: z.string().optional(),
    thought: z.string().optional(),
  }),
  // No output: a published trace's levels (runs/publishedTrace.ts), whose answers were never published.
  line('node-evaluated', { id: z.string(), output: z.string().optional(), evaluation, reward: score, score }),
  line('node-failed', { id: z.string(), error: z.string() }),
  line('proposal-failed', { id: z.string(), error: z.string() }),
  line('beam', {
    level: count,
    ids: z.array(z.string()),
    partial: z
      .strictObject({ failed: z.array(z.string()), unjudged: z.array(z.string()), unexpanded: z.array(z.string()) })
      .optional(),
  }),
  line('depth-extended', { level: count, depth: count }),
  line('depth-extension-skipped', { level: count, reason: z.string() }),
  line('call', {
    role,
    backend: z.string(),
    key: z.string(),
    rolloutId: z.string().optional(),
    requests: count,
    repair: z.boolean().optional(),
    texts: z.array(z.string()),
    usage: z.strictObject({ promptTokens: count, completionTokens: count }),
    costUsd: z.number().min(0),
    retries: count,
    latencyMs: z.number().min(0),
    scope: z.string().optional(),
  }),
  line('call-failed', {
    role,
    backend: z.string(),
    key: z.string(),
    kind: errorKind,
    message: z.string(),
    retries: count,
    scope: z.string().optional(),
  }),
  line('retry', {
    role,
    backend: z.string(),
    attempt: count,
    kind: errorKind,
    message: z.string(),
    delayMs: z.number().min(0),
    overload: z.boolean().optional(),
  }),
  line('concurrency', {
    backend: z.string(),
    mode: z.enum(['auto', 'fixed']),
    limit: z.number().int().min(1),
    reason: z.string(),
  }),
  line('run-started', { stage: z.enum(RUN_STAGES), version: z.string() }),
  line('run-resumed', {}),
  line('run-finished', { failed: count.optional() }),
  line('run-paused', {
    reason: z.string(),
    outages: z.array(z.strictObject({ backend: z.string(), kind: errorKind, since: z.number(), message: z.string() })),
  }),
  line('run-cancelled', { reason: z.string(), final: z.boolean().optional() }),
  line('run-failed', { error: z.string() }),
  line('warning', { message: z.string() }),
  line('notice', { message: z.string() }),
  // What probing a server cost and found (runSession.ts), logged before the first call.
  line('probe', { backend: z.string(), requests: count, summary: z.string() }),
  line('download', {
    model: z.string(),
    file: z.string(),
    fileBytes: count,
    fileTotal: count.nullable(),
    bytes: count,
    total: count.nullable(),
  }),
  line('prompt-format', { format: z.enum(PROMPT_FORMATS), automatic: z.boolean() }),
  line('retrieval', { requested: z.string(), used: z.string(), reason: z.string().optional() }),
]);

/**
 * The events if each is a run's log line and their seqs run 0, 1, 2…; else an invalid-argument
 * StudioApiError naming the first bad line (1-based, as an editor counts) and its fields.
 */
export function checkRunEventLines(events: readonly unknown[], where: string): LoggedEvent[] {
  events.forEach((event, index) => {
    const parsed = runEventLine.safeParse(event, { error: plainMessage });
    const issues = parsed.success
      ? parsed.data.seq === index
        ? []
        : [{ path: 'seq', message: `expected ${index} (the lines' seqs run 0, 1, 2…), got ${parsed.data.seq}` }]
      : argumentIssues(parsed.error);
    if (issues.length > 0) throw invalidArgument(`${where}: event line ${index + 1}`, issues);
  });
  return events as LoggedEvent[];
}
