// Tokens per second of the embedded model: the llama-cpp plugin on the tiny test model
// (../shared/models/stories260K), measured through the plugin's own `generate`, as a run calls it.
//
// 1. Threads: one request at a time on a client with 1 thread and one with 2 (same prompts,
//    same maxTokens, temperature 0, the two clients interleaved repeat by repeat so a busy
//    machine weighs on both alike; medians). Prompt processing = prompt tokens / time to the
//    first streamed text; generation = the completion tokens after the first / the time after it.
// 2. Sequences: N requests sent at once to a client with N sequences in one context (llama.cpp
//    decodes them in one batch) versus the same N requests one after another on a client with
//    one sequence; aggregate completion tokens per second of wall time (prompt evaluation included:
//    it is part of every request's wall).
//
// The plugin reuses the KV cache of the longest shared prompt prefix, so a repeated prompt would
// be evaluated almost for free. Every measured request therefore has a prompt of its own that
// differs from all earlier ones within its first few tokens; one extra figure shows what the
// cache saves on a repeated prompt. The tiny model is 260K parameters: the figures measure the
// plugin's and llama.cpp's per-token overhead and thread scheduling far more than arithmetic.
import os from 'node:os';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GenerateResult, ModelClient } from '../../src/plugins/contract.js';
import { createTinyModel, TINY_MODEL } from '../../test/support/pluginTestKit.js';
import { type Figure, writeBenchResult } from '../support/benchResults.js';

const THREADS = { repeats: 5, maxTokens: 96 } as const;
const SEQUENCES = { counts: [2, 4], repeats: 3, maxTokens: 128 } as const;
/** Per sequence; the model was trained on 2,048. */
const CONTEXT_SIZE = 2048;

const STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ' +
  'One day, she saw a big red ball under a tall green tree. She ran to the tree and picked up the ball. ' +
  'Her friend Tom came over and asked if he could play too. Lily smiled and said yes, and they played until the sun went down. ';
/** About 390 tokens of the tiny model's vocabulary. */
const BODY = STORY.repeat(3);

let promptsMade = 0;
/** A prompt no request has used before: its first words differ from every earlier prompt's. */
function freshPrompt(): string {
  promptsMade += 1;
  return `Tale ${promptsMade}. ${BODY}`;
}

interface Timed {
  promptTokens: number;
  completionTokens: number;
  /** Request sent → first streamed text: the prompt evaluated and the first token sampled. */
  firstTextMs: number;
  totalMs: number;
}

async function timedGenerate(client: ModelClient, text: string, maxTokens: number): Promise<Timed> {
  let firstText: number | undefined;
  const start = performance.now();
  const { usage }: GenerateResult = await client.generate({
    input: { kind: 'text', text },
    maxTokens,
    temperature: 0,
    n: 1,
    onText: () => {
      firstText ??= performance.now();
    },
  });
  const end = performance.now();
  return { ...usage, firstTextMs: (firstText ?? end) - start, totalMs: end - start };
}

const promptTokensPerS = (t: Timed) => t.promptTokens / (t.firstTextMs / 1000);
const generationTokensPerS = (t: Timed) => (t.completionTokens - 1) / ((t.totalMs - t.firstTextMs) / 1000);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const load = () => os.loadavg().map((n) => round(n, 2));

const clients: ModelClient[] = [];
async function open(settings: { threads: number; parallel: number }): Promise<ModelClient> {
  const client = await createTinyModel({ ...settings, contextSize: CONTEXT_SIZE });
  clients.push(client);
  // The first decode of a fresh context allocates its buffers: not part of any figure.
  await client.generate({ input: { kind: 'text', text: freshPrompt() }, maxTokens: 8, temperature: 0, n: 1 });
  return client;
}

const figures: Figure[] = [];
const details: Record<string, unknown> = {
  model: TINY_MODEL.replace(/^.*\/shared\//, '../shared/'),
  contextSize: CONTEXT_SIZE,
};

beforeAll(() => {
  details.loadAverageAtStart = load();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  details.loadAverageAtEnd = load();
  if (figures.length > 0)
    writeBenchResult('llama-cpp', 'Embedded model (llama-cpp plugin, tiny model)', figures, details);
});

test('threads: 1 versus 2, one request at a time', async () => {
  const byThreads = { 1: await open({ threads: 1, parallel: 1 }), 2: await open({ threads: 2, parallel: 1 }) };
  const runs: Record<1 | 2, Timed[]> = { 1: [], 2: [] };
  let prompt = '';
  for (let i = 0; i < THREADS.repeats; i++) {
    prompt = freshPrompt();
    // The same prompt on both clients: each has its own KV cache, so neither gets it cached.
    for (const threads of [1, 2] as const)
      runs[threads].push(await timedGenerate(byThreads[threads], prompt, THREADS.maxTokens));
  }
  for (const threads of [1, 2] as const) {
    const timed = runs[threads];
    expect(timed.every((t) => t.completionTokens > 1 && t.firstTextMs < t.totalMs)).toBe(true);
    const how = `median of ${THREADS.repeats}; a new ${timed[0]!.promptTokens}-token prompt each time (nothing cached), ${THREADS.maxTokens} tokens, temperature 0`;
    figures.push(
      {
        measure: `generation, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: round(median(timed.map(generationTokensPerS))),
        unit: 'tokens/s',
        note: how,
      },
      {
        measure: `prompt processing, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: round(median(timed.map(promptTokensPerS))),
        unit: 'tokens/s',
        note: how,
      },
    );
  }
  details.threads = runs;

  // What the prefix cache saves: the last prompt again, on the 1-thread client that just evaluated it.
  const last = runs[1].at(-1)!;
  const repeated: Timed[] = [];
  for (let i = 0; i < 3; i++) repeated.push(await timedGenerate(byThreads[1], prompt, THREADS.maxTokens));
  figures.push({
    measure: 'first token, prompt already in the KV cache (1 thread)',
    value: round(median(repeated.map((t) => t.firstTextMs)), 1),
    unit: 'ms',
    note: `median of 3; the same prompt evaluated afresh: ${round(last.firstTextMs, 1)} ms`,
  });
  details.repeatedPrompt = repeated;
  await Promise.all([byThreads[1].dispose(), byThreads[2].dispose()]);
});

test('sequences: N requests in one context at once versus one at a time', async () => {
  for (const n of SEQUENCES.counts) {
    const together = await open({ threads: 1, parallel: n });
    const alone = await open({ threads: 1, parallel: 1 });
    const walls: Record<'together' | 'alone', { wallMs: number; completionTokens: number }[]> = {
      together: [],
      alone: [],
    };
    for (let i = 0; i < SEQUENCES.repeats; i++) {
      let start = performance.now();
      const all = await Promise.all(
        Array.from({ length: n }, () => timedGenerate(together, freshPrompt(), SEQUENCES.maxTokens)),
      );
      walls.together.push({
        wallMs: performance.now() - start,
        completionTokens: all.reduce((s, t) => s + t.completionTokens, 0),
      });
      // The same kind of requests (fresh prompts of the same length), one after another, on one sequence.
      start = performance.now();
      const each: Timed[] = [];
      for (let k = 0; k < n; k++) each.push(await timedGenerate(alone, freshPrompt(), SEQUENCES.maxTokens));
      walls.alone.push({
        wallMs: performance.now() - start,
        completionTokens: each.reduce((s, t) => s + t.completionTokens, 0),
      });
    }
    for (const [key, label] of [
      ['together', `${n} requests at once, ${n} sequences of one context`],
      ['alone', `${n} requests one at a time (parallel 1)`],
    ] as const) {
      const wall = median(walls[key].map((w) => w.wallMs));
      const tokens = median(walls[key].map((w) => w.completionTokens));
      figures.push({
        measure: label,
        value: round(tokens / (wall / 1000)),
        unit: 'tokens/s',
        note: `aggregate, prompts included; ${tokens} tokens in ${round(wall)} ms wall (median of ${SEQUENCES.repeats}), 1 thread`,
      });
    }
    details[`sequences-${n}`] = walls;
    await Promise.all([together.dispose(), alone.dispose()]);
  }
});
