// The search as the reference code runs it, with the default settings, over real HTTP: the openai
// plugin talks to an OpenAI-compatible test server whose model is scripted here, one request at a
// time (the backend's concurrency 1, so the optimizer's samples come in parent order, then sample
// order, as the reference makes them). Every expected value below is worked out by hand from the
// reference's rules (../shared/reference/README.md and its code), not read from the engine:
// - system prompt: a state whose mean aspect score is above 4.5 is carried over unchanged, and the
//   depth grows by one for each level that carries something over (once, however many states it
//   carries), up to 10 extra levels; a node ranks by the mean of its path's step rewards;
// - ICL: judge the answer, then D = 5 times rewrite the latest answer from its critique and judge
//   the rewrite, keep it when its score >= the best, stop after a rewrite once the best is perfect;
//   the ICL optimizer samples at T 0, top-p 1, the system-prompt optimizer at T 0.2, top-p 0.95.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import type { IclResult, SystemPromptResult } from '../../src/main/runs/runResult.js';
import { runStage } from '../../src/main/runs/runSession.js';
import { createRunFolder } from '../../src/main/store/runFolder.js';
import { type LoggedEvent, type RunStage, readRunLog } from '../../src/main/store/runLog.js';
import {
  judgedAspects,
  judgeReply,
  ScriptedModel,
  type ScriptedRequest,
  selectionReply,
} from '../helpers/scriptedModel.js';
import { FakeOpenAIServer } from '../support/fakeOpenAIServer.js';

const INITIAL = 'You are a helpful assistant.'; // the default initial prompt
const SEEDS = Array.from({ length: 8 }, (_, i) => `Seed question ${i}: what happens on day ${i}?`);

/** A request's whole text: a raw prompt, or every message. */
const fullText = (req: ScriptedRequest) =>
  req.request.input.kind === 'text'
    ? req.request.input.text
    : req.request.input.messages.map((m) => m.content).join('\n\n');

/** The index of the seed query a prompt is about. */
const seedOf = (text: string) => SEEDS.findIndex((q) => text.includes(q));

let work: string;
let server: FakeOpenAIServer | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'drpo-reference-'));
  writeFileSync(path.join(work, 'seeds.json'), JSON.stringify(SEEDS));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a stage of `config` (over the defaults) against a fake server answering with `answer`. */
async function runOn(stage: RunStage, answer: (req: ScriptedRequest) => string, config: Record<string, unknown>) {
  server = await FakeOpenAIServer.start(new ScriptedModel(answer));
  const normalized = normalizeConfig(
    {
      backends: {
        server: {
          plugin: 'openai',
          settings: { baseURL: `${server.origin}/v1`, model: 'stories260K' },
          concurrency: 1,
        },
      },
      data: { seedQueries: 'seeds.json' },
      // The default embedder too: the test hub (DRPO_STUDIO_HUB_URL, vitest.config.ts) refuses, so BM25 ranks, as announced.
      cacheDir: null,
      runsDir: 'runs',
      ...config,
    },
    work,
  );
  const folder = createRunFolder(normalized, stage, 'test');
  const result = await runStage(folder, { userDataDir: path.join(work, 'user-data') });
  return { result, events: readRunLog(path.join(folder.dir, 'events.jsonl')).events, requests: server.requests };
}

/** The optimizer requests the server received, as [temperature, top_p, n]. */
function optimizerSampling(requests: FakeOpenAIServer['requests'], marker: string): unknown[][] {
  return requests
    .map(
      (r) =>
        (r.body ?? {}) as { messages?: { content: string }[]; temperature?: unknown; top_p?: unknown; n?: unknown },
    )
    .filter((b) => b.messages?.some((m) => m.content.includes(marker)))
    .map((b) => [b.temperature, b.top_p, b.n ?? 1]);
}

const nodesOf = (events: readonly LoggedEvent[]) => events.flatMap((e) => (e.type === 'node' ? [e] : []));

describe('the system-prompt search as the reference runs it (W=2, M=2, D=4, everything else by default)', () => {
  // States are labelled by their path: R is the initial prompt, R.1.0 the first rewrite of R's second rewrite.
  const label = (state: string) => (state === INITIAL ? 'R' : state);
  /** Every aspect of a judgement gets this score (its mean); 4.5 is two aspects at 5 and 4. */
  const SCORES: Record<string, number> = {
    'R@0': 3,
    'R.0@1': 5,
    'R.1@1': 4.5,
    'R.0@2': 4,
    'R.1.0@2': 5,
    'R.1.1@2': 2,
    'R.1.0@3': 5,
    'R.0.0@3': 3,
    'R.0.1@3': 5,
    'R.1.0@4': 3,
    'R.0.1@4': 4,
    'R.0.1.0@5': 4,
    'R.0.1.1@5': 3,
    'R.1.0.0@5': 4,
    'R.1.0.1@5': 2,
    'R.0.1.0.0@6': 5,
    'R.0.1.0.1@6': 3,
    'R.1.0.0.0@6': 5,
    'R.1.0.0.1@6': 3,
  };
  const rewrites = new Map<string, number>();

  function answer(req: ScriptedRequest): string {
    const text = fullText(req);
    switch (req.purpose) {
      case 'selection':
        return selectionReply(['Helpfulness', 'Clarity']);
      case 'generation': {
        const system = /# instructions\n\n([\s\S]*?)\n\n/.exec(text)?.[1];
        return system === undefined ? 'ok' : ` answer under [${label(system)}]\n<END>`;
      }
      case 'judgement': {
        const key = `${/answer under \[([^\]]+)\]/.exec(text)![1]}@${seedOf(text)}`;
        const score = SCORES[key];
        if (score === undefined) throw new Error(`no score scripted for ${key}`);
        const [first, ...rest] = judgedAspects(text);
        // 4.5: 5 on the first aspect, 4 on the other (the selector picks two).
        return judgeReply({
          [first!]: score === 4.5 ? 5 : score,
          ...Object.fromEntries(rest.map((a) => [a, score === 4.5 ? 4 : score])),
        });
      }
      case 'transition': {
        const parent = label(/The current system prompt is: ([\s\S]*?)\n\nWhen using/.exec(text)![1]!);
        const k = rewrites.get(parent) ?? 0;
        rewrites.set(parent, k + 1);
        return JSON.stringify({ analysis: 'a', thought: 't', new_system_prompt: `${parent}.${k}` });
      }
      default:
        return 'ok';
    }
  }

  it('carries states above 4.5 over, grows the depth once per level that carries, and ranks by path mean', {
    timeout: 60_000,
  }, async () => {
    const { result, events, requests } = await runOn('system-prompt', answer, {
      search: { width: 2, samples: 2, depth: 4 },
    });

    // Level by level (query t at level t). Path means leave the root's reward out.
    // L0 R 3 → rewritten. L1: R.0 5, R.1 4.5 (not above 4.5). Beam R.0 (5), R.1 (4.5).
    // L2: R.0 carried (5 > 4.5): the depth grows 4 → 5; R.1 rewritten. R.0 4 → (5+4)/2 = 4.5,
    //     R.1.0 5 → 4.75, R.1.1 2 → 3.25. Beam R.1.0, R.0.
    // L3: R.1.0 carried (5): 5 → 6; R.0 (4) rewritten. R.1.0 5 → 4.83, R.0.0 3 → 4, R.0.1 5 → 4.67.
    //     Beam R.1.0, R.0.1.
    // L4: both carried (5, 5): the depth grows once, 6 → 7. R.1.0 3 → 4.375, R.0.1 4 → 4.5.
    //     Beam R.0.1, R.1.0.
    // L5: nothing above 4.5: both rewritten, no growth. R.0.1.0 4 → 4.4, R.0.1.1 3 → 4.2,
    //     R.1.0.0 4 → 4.3, R.1.0.1 2 → 3.9. Beam R.0.1.0, R.1.0.0.
    // L6 (the last of 7): both rewritten. R.0.1.0.0 5 → 27/6 = 4.5, R.0.1.0.1 3 → 4.17,
    //     R.1.0.0.0 5 → 26.5/6 = 4.42, R.1.0.0.1 3 → 4.08. A 5 on the last level grows nothing:
    //     the reference never expands a state at the final depth.
    const expectedNodes = [
      [0, 0, null, 'R', 'initial'],
      [1, 1, 'R', 'R.0', 'rewrite'],
      [1, 1, 'R', 'R.1', 'rewrite'],
      [2, 2, 'R.0', 'R.0', 'carry-over'],
      [2, 2, 'R.1', 'R.1.0', 'rewrite'],
      [2, 2, 'R.1', 'R.1.1', 'rewrite'],
      [3, 3, 'R.1.0', 'R.1.0', 'carry-over'],
      [3, 3, 'R.0', 'R.0.0', 'rewrite'],
      [3, 3, 'R.0', 'R.0.1', 'rewrite'],
      [4, 4, 'R.0.1', 'R.0.1', 'carry-over'],
      [4, 4, 'R.1.0', 'R.1.0', 'carry-over'],
      [5, 5, 'R.0.1', 'R.0.1.0', 'rewrite'],
      [5, 5, 'R.0.1', 'R.0.1.1', 'rewrite'],
      [5, 5, 'R.1.0', 'R.1.0.0', 'rewrite'],
      [5, 5, 'R.1.0', 'R.1.0.1', 'rewrite'],
      [6, 6, 'R.0.1.0', 'R.0.1.0.0', 'rewrite'],
      [6, 6, 'R.0.1.0', 'R.0.1.0.1', 'rewrite'],
      [6, 6, 'R.1.0.0', 'R.1.0.0.0', 'rewrite'],
      [6, 6, 'R.1.0.0', 'R.1.0.0.1', 'rewrite'],
    ];
    const nodes = nodesOf(events);
    const stateOf = new Map(nodes.map((n) => [n.id, label(n.state)]));
    const actual = nodes.map((n) => [
      n.level,
      SEEDS.indexOf(n.query),
      n.parentId === null ? null : stateOf.get(n.parentId),
      label(n.state),
      n.action,
    ]);
    // Within a level, parents in beam order (the order of generation): compared as a set per level.
    const byLevel = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(byLevel(actual)).toEqual(byLevel(expectedNodes));

    const beams = events.flatMap((e) => (e.type === 'beam' ? [e.ids.map((id) => stateOf.get(id))] : []));
    expect(beams).toEqual([
      ['R'],
      ['R.0', 'R.1'],
      ['R.1.0', 'R.0'],
      ['R.1.0', 'R.0.1'],
      ['R.0.1', 'R.1.0'],
      ['R.0.1.0', 'R.1.0.0'],
      ['R.0.1.0.0', 'R.1.0.0.0'],
    ]);
    expect(events.filter((e) => e.type === 'depth-extended' || e.type === 'depth-extension-skipped')).toEqual([
      expect.objectContaining({ type: 'depth-extended', level: 2, depth: 5 }),
      expect.objectContaining({ type: 'depth-extended', level: 3, depth: 6 }),
      expect.objectContaining({ type: 'depth-extended', level: 4, depth: 7 }),
    ]);
    // The depth grows as the level starts, before any of its nodes (the reference decides it while
    // choosing the level's actions).
    const firstOfLevel2 = events.findIndex((e) => e.type === 'node' && e.level === 2);
    expect(events.findIndex((e) => e.type === 'depth-extended')).toBeLessThan(firstOfLevel2);

    const r = result as SystemPromptResult;
    expect(r.status).toBe('finished');
    expect(r.retrieval).toMatchObject({ requested: 'hub:sentence-transformers/all-mpnet-base-v2', used: 'bm25' });
    expect(events.filter((e) => e.type === 'warning' && e.message.startsWith('retrieval:'))).toHaveLength(1);
    // Logged, so a resume keeps ranking as these calls were made (createRetriever.ts).
    expect(events.filter((e) => e.type === 'retrieval')).toEqual([expect.objectContaining(r.retrieval)]);
    expect(r.bestPrompt).toBe('R.0.1.0.0');
    expect(r.score).toBe(4.5);
    expect(r.search).toMatchObject({ depth: 4, finalDepth: 7, nodes: 19 });
    // Calls per role: 19 nodes (1 + 2 + 3 + 3 + 2 + 4 + 4), each answered and judged once; 14
    // rewrites (2 + 2 + 2 + 0 + 4 + 4); one aspect selection per level's query (7).
    const samples = Object.fromEntries(Object.entries(r.calls).map(([role, c]) => [role, c.samples]));
    expect(samples).toEqual({ base: 19, judge: 19, optimizer: 14, selector: 7 });
    // The system-prompt optimizer samples at the reference's T 0.2, top-p 0.95: one request of n = M = 2
    // for each of the 7 rewritten parents.
    expect(optimizerSampling(requests, 'new_system_prompt')).toEqual(Array(7).fill([0.2, 0.95, 2]));
  });
});

describe('the ICL stage as the reference runs it (W=1, M=1, D=5 by default)', () => {
  /** Each example's answers: its draft, then " rK" added by the K-th rewrite of the latest answer. */
  const EXAMPLES = [
    { query: 'Seed question 0: what happens on day 0?', answer: 'E0 draft' },
    { query: 'Seed question 1: what happens on day 1?', answer: 'E1 draft' },
    { query: 'Seed question 2: what happens on day 2?', answer: 'E2 draft' },
  ];
  const SCORES: Record<string, number> = {
    // E0: never perfect: 5 rewrites, 6 judgements. r2 scores below r1, yet r3 rewrites r2 (the
    // latest), not r1 (the best); r3 ties r1's 4 and, later, is kept (>=).
    'E0 draft': 3,
    'E0 draft r1': 4,
    'E0 draft r1 r2': 2,
    'E0 draft r1 r2 r3': 4,
    'E0 draft r1 r2 r3 r4': 3,
    'E0 draft r1 r2 r3 r4 r5': 1,
    // E1: the first rewrite is perfect: it stops there (1 rewrite, 2 judgements).
    'E1 draft': 2,
    'E1 draft r1': 5,
    // E2: a perfect draft still gets one rewrite (the check follows a rewrite), which scores less.
    'E2 draft': 5,
    'E2 draft r1': 4,
  };
  /** The longest answer a prompt quotes: the one being judged or rewritten. */
  const answerIn = (text: string) =>
    [...text.matchAll(/E\d draft(?: r\d)*/g)].map((m) => m[0]).sort((a, b) => b.length - a.length)[0]!;

  function answer(req: ScriptedRequest): string {
    const text = fullText(req);
    switch (req.purpose) {
      case 'selection':
        return selectionReply(['Helpfulness', 'Clarity', 'Depth']);
      case 'judgement': {
        const score = SCORES[answerIn(text)];
        if (score === undefined) throw new Error(`no score scripted for ${answerIn(text)}`);
        return judgeReply(Object.fromEntries(judgedAspects(text).map((a) => [a, score])));
      }
      case 'icl-transition': {
        const current = answerIn(text);
        const next = current.split(' r').length; // rewrites so far + 1
        return JSON.stringify({ analysis: 'a', thought: 't', new_answer: `${current} r${next}` });
      }
      default:
        return 'ok';
    }
  }

  it('rewrites the latest answer 5 times, keeps the best by >=, stops after a perfect score, and samples at T 0, top-p 1', {
    timeout: 60_000,
  }, async () => {
    writeFileSync(path.join(work, 'icl.json'), JSON.stringify(EXAMPLES));
    const { result, events, requests } = await runOn('icl', answer, {
      data: { seedQueries: 'seeds.json', iclExamples: 'icl.json' },
    });
    const r = result as IclResult;
    expect(r.status).toBe('finished');
    expect(r.examples.map((e) => [e.before, e.after, e.scoreBefore, e.scoreAfter])).toEqual([
      ['E0 draft', 'E0 draft r1 r2 r3', 3, 4],
      ['E1 draft', 'E1 draft r1', 2, 5],
      ['E2 draft', 'E2 draft', 5, 5],
    ]);
    // Per example: rewrites and judgements (each judgement's node, the draft's included).
    const nodes = nodesOf(events);
    const perExample = (prefix: string) => {
      const own = nodes.filter((n) => n.id.startsWith(prefix));
      return { rewrites: own.filter((n) => n.action === 'rewrite').length, judged: own.length };
    };
    expect(['e0:', 'e1:', 'e2:'].map(perExample)).toEqual([
      { rewrites: 5, judged: 6 },
      { rewrites: 1, judged: 2 },
      { rewrites: 1, judged: 2 },
    ]);
    // The chain: each rewrite's parent is the answer before it, whatever its score.
    expect(nodes.filter((n) => n.id.startsWith('e0:')).map((n) => n.state)).toEqual([
      'E0 draft',
      'E0 draft r1',
      'E0 draft r1 r2',
      'E0 draft r1 r2 r3',
      'E0 draft r1 r2 r3 r4',
      'E0 draft r1 r2 r3 r4 r5',
    ]);
    const samples = Object.fromEntries(Object.entries(r.calls).map(([role, c]) => [role, c.samples]));
    expect(samples).toEqual({ base: 0, selector: 3, judge: 6 + 2 + 2, optimizer: 5 + 1 + 1 });
    // A.5 counts W·M·D = 5 rewrites and 5 judgements an example: the plan is 5 rewrites and 6 judgements.
    expect(r.a5).toEqual({ optimizer: 15, selector: 3, base: 0, judge: 15 });
    expect(r.planned).toEqual({ optimizer: 15, selector: 3, base: 0, judge: 18 });
    expect(optimizerSampling(requests, 'new_answer')).toEqual(Array(7).fill([0, 1, 1]));
    // By default the ICL stage's selector and judge are the reference's harsher critic (3 to 6 aspects).
    const asked = (marker: string) => requests.filter((q) => JSON.stringify(q.body ?? {}).includes(marker)).length;
    expect(asked('You are a ruthless critic judging')).toBe(10);
    expect(asked('Pick at least 3 and at most 6 aspects')).toBe(3);
  });
});
