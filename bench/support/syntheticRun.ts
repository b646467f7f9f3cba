// A finished system-prompt run of exactly `nodes` nodes, written through the run store itself
// (createRunFolder, RunLog.append, writeResult), so its config.json, events.jsonl and result.json
// are what the engine would have written: a beam search of width W, M samples per beam state,
// over as many levels as the node count needs, each level with its optimizer, base and judge
// calls, its aspect selection, each node's `node` and `node-evaluated` events, and the level's
// `beam`; a few evaluations fail, as real ones do. With `plannedDepth`, the search was planned that
// deep and extended its depth level by level past it (the `depth-extended` events of a run with
// depth extension): how a long run reaches thousands of nodes.
import path from 'node:path';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import type { Evaluation } from '../../src/main/engine/types.js';
import type { Role, RoleTally } from '../../src/main/llm/callLedger.js';
import type { SystemPromptResult } from '../../src/main/runs/runResult.js';
import { createRunFolder, writeResult } from '../../src/main/store/runFolder.js';
import type { RunEvent } from '../../src/main/store/runLog.js';

export interface SyntheticRunOptions {
  /** The studio's user-data folder: the run goes to its runs/ folder. */
  userDataDir: string;
  nodes: number;
  width: number;
  samples: number;
  /** The depth the search was planned with, when it is less than the levels the node count takes. */
  plannedDepth?: number;
  /** Share of evaluations that fail (judge reply unusable). */
  failureRate?: number;
  seed?: number;
}

export interface SyntheticRun {
  id: string;
  dir: string;
  levels: number;
  events: number;
  bestPrompt: string;
}

const ASPECTS = ['Helpfulness', 'Clarity', 'Factuality', 'Depth', 'Engagement', 'Safety'];
const INITIAL_PROMPT = 'You are a helpful assistant.';
const ADVICE = [
  'Answer in short paragraphs.',
  'Say what you do not know.',
  'Give one concrete example.',
  'Refuse unsafe requests politely and offer a safe alternative.',
  'Check facts before stating them.',
  'Match the length of the answer to the question.',
  'Use numbered steps for procedures.',
  'Define technical terms the first time they appear.',
  'End with a one-sentence summary.',
  'Ask a clarifying question when the request is ambiguous.',
  'Prefer plain words to jargon.',
];

/** mulberry32: a small seeded PRNG, so every benchmark run writes the same tree. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Made {
  id: string;
  state: string;
  /** Rewards along the path from the root, this node's included (null: unscored). */
  path: number[];
  score: number | null;
}

export function writeSyntheticRun(options: SyntheticRunOptions): SyntheticRun {
  const { userDataDir, nodes: total, width, samples } = options;
  const failureRate = options.failureRate ?? 0.02;
  const rand = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  // Levels the node count takes when every beam is full (a failed node can shorten one beam only).
  let depth = 1;
  for (let count = 1, states = 1; count < total; depth++) {
    count += states * samples;
    states = Math.min(width, states * samples);
  }
  const planned = Math.min(depth, options.plannedDepth ?? depth);
  const config = normalizeConfig(
    {
      backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'models/synthetic.gguf' } } },
      search: {
        width,
        samples,
        depth: planned,
        carryOverAbove: null,
        maxDepthIncrease: depth - planned,
        callBudget: 'unlimited',
      },
      retrieval: { k: 1 },
      cacheDir: null,
    },
    userDataDir,
  );
  const folder = createRunFolder(
    { ...config, runsDir: path.join(userDataDir, 'runs') },
    'system-prompt',
    'the benchmark',
  );
  let events = 0;
  const emit = (event: RunEvent) => {
    folder.log.append(event);
    events++;
  };
  const tallies = Object.fromEntries(
    (['base', 'selector', 'judge', 'optimizer'] as const).map((r) => [
      r,
      {
        calls: 0,
        repairs: 0,
        samples: 0,
        promptTokens: 0,
        completionTokens: 0,
        retries: 0,
        errors: 0,
        parseFailures: 0,
        cacheHits: 0,
      },
    ]),
  ) as unknown as Record<Role, RoleTally>;
  let callNo = 0;
  const call = (role: Role, text: string) => {
    const usage = { promptTokens: 400 + Math.floor(rand() * 600), completionTokens: Math.ceil(text.length / 4) };
    const tally = tallies[role];
    tally.calls++;
    tally.samples++;
    tally.promptTokens += usage.promptTokens;
    tally.completionTokens += usage.completionTokens;
    emit({
      type: 'call',
      role,
      backend: 'local',
      key: `synthetic-${(callNo++).toString(16).padStart(8, '0')}`,
      requests: 1,
      texts: [text],
      usage,
      costUsd: 0,
      retries: 0,
      latencyMs: 200 + Math.floor(rand() * 800),
    });
  };

  const evaluate = (node: Made, query: string, parentPath: number[]) => {
    const output = `Here is an answer to "${query.slice(0, 40)}…": ${pick(ADVICE)} ${pick(ADVICE)}`;
    call('base', output);
    let evaluation: Evaluation;
    if (rand() < failureRate) {
      evaluation = { ok: false, error: 'the judge reply stayed unusable after one repair re-ask' };
      call('judge', '{"Helpfulness": ');
    } else {
      const chosen = ASPECTS.slice(0, 2 + Math.floor(rand() * 3));
      const scores = chosen.map((aspect) => ({
        aspect,
        score: 1 + Math.floor(rand() * 5),
        rationale: `${aspect}: ${pick(ADVICE).toLowerCase()}`,
      }));
      const reward = scores.reduce((s, a) => s + a.score, 0) / scores.length;
      evaluation = { ok: true, scores, reward };
      call(
        'judge',
        JSON.stringify(Object.fromEntries(scores.map((s) => [s.aspect, { rationale: s.rationale, score: s.score }]))),
      );
    }
    const reward = evaluation.ok ? evaluation.reward : null;
    node.path = reward === null ? parentPath : [...parentPath, reward];
    node.score = reward === null ? null : node.path.reduce((s, r) => s + r, 0) / node.path.length;
    emit({ type: 'node-evaluated', id: node.id, output, evaluation, reward, score: node.score });
  };

  const select = (level: number): string => {
    const query = `Seed query ${level + 1}: how should I explain ${pick(['photosynthesis', 'inflation', 'recursion', 'the seasons', 'vaccines', 'tides'])} to a ${pick(['child', 'student', 'manager', 'friend'])}?`;
    call('selector', JSON.stringify({ aspects_selection: { selected_aspects: ASPECTS.slice(0, 3) } }));
    emit({
      type: 'selection',
      query,
      selection: { aspects: ASPECTS.slice(0, 3), reasoning: 'the query asks for an explanation', source: 'selector' },
    });
    return query;
  };

  emit({ type: 'run-started', stage: 'system-prompt', version: '1' });
  let query = select(0);
  const root: Made = { id: '0', state: INITIAL_PROMPT, path: [], score: null };
  emit({ type: 'node', id: root.id, parentId: null, level: 0, state: root.state, action: 'initial', query });
  evaluate(root, query, []);
  emit({ type: 'beam', level: 0, ids: [root.id] });
  let beam: Made[] = [root];
  let made = 1;
  let level = 0;
  const all: Made[] = [root];
  while (made < total) {
    level++;
    // The planned depth reached with nodes still to come: the depth grows by one as the level starts.
    if (level >= planned - 1 && level < depth - 1) emit({ type: 'depth-extended', level, depth: level + 2 });
    query = select(level);
    const children: { node: Made; parent: Made }[] = [];
    for (const parent of beam) {
      for (let i = 0; i < samples && made < total; i++, made++) {
        const state = `${parent.state} ${pick(ADVICE)}`.split(' ').slice(-60).join(' ');
        call('optimizer', JSON.stringify({ analysis: 'a', thought: 't', new_system_prompt: state }));
        const node: Made = { id: `${parent.id}.${i}`, state, path: [], score: null };
        emit({ type: 'node', id: node.id, parentId: parent.id, level, state, action: 'rewrite', query });
        children.push({ node, parent });
      }
    }
    for (const { node, parent } of children) evaluate(node, query, parent.path);
    all.push(...children.map((c) => c.node));
    beam = children
      .map((c) => c.node)
      .filter((n) => n.score !== null)
      .sort((a, b) => b.score! - a.score!)
      .slice(0, width);
    emit({ type: 'beam', level, ids: beam.map((n) => n.id) });
  }

  const best = beam[0] ?? root;
  const result: SystemPromptResult = {
    stage: 'system-prompt',
    status: 'finished',
    runId: folder.id,
    bestPrompt: best.state,
    score: best.score,
    bestNodeId: best.id,
    initialPrompt: INITIAL_PROMPT,
    search: { algorithm: 'beam', width, samples, depth: planned, finalDepth: level + 1, nodes: all.length },
    a5: {
      optimizer: width * samples * (level + 1),
      selector: level + 1,
      base: width * samples * (level + 1),
      judge: width * samples * (level + 1),
    },
    planned: { optimizer: all.length - 1, selector: level + 1, base: all.length, judge: all.length },
    calls: tallies,
    backends: { local: { calls: callNo, promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    retries: 0,
    parseFailures: 0,
    errors: 0,
    wallMs: 1000 * all.length,
  };
  writeResult(folder.dir, result);
  emit({ type: 'run-finished' });
  folder.lock.release();
  return { id: folder.id, dir: folder.dir, levels: level + 1, events, bestPrompt: best.state };
}
