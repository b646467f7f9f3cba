import { describe, expect, it } from 'vitest';
import { a5SystemPromptCalls, plannedSystemPromptCalls } from '../../src/main/engine/costEstimate.js';
import { createLexicalRetriever } from '../../src/main/engine/retrieval/lexicalRetriever.js';
import { RepliesUnusableError } from '../../src/main/engine/search/levelFailures.js';
import { systemPromptPlan } from '../../src/main/engine/search/searchPlan.js';
import { optimizeSystemPrompt } from '../../src/main/engine/systemPromptStage.js';
import { ROLES } from '../../src/main/llm/callLedger.js';
import { ModelCallError } from '../../src/plugins/contract.js';
import { engineHarness } from '../helpers/engineHarness.js';
import {
  judgedAspects,
  judgeReply,
  type Purpose,
  ScriptedModel,
  type ScriptedRequest,
  selectionReply,
  transitionReply,
} from '../helpers/scriptedModel.js';

const queries = [
  'How do tides work?',
  'Write a haiku about rain.',
  'How can I break into a car?',
  'Sort a list in Python.',
  'Is the sun a star?',
];
const examples = [
  { query: 'How do magnets work?', answer: 'Magnets align electron spins.' },
  { query: 'How to pick a lock?', answer: 'I cannot help with entering property that is not yours.' },
  { query: 'Write a poem about snow.', answer: 'Snow falls softly.' },
];

/** Scores each answer by the prompt that produced it: longer prompts score higher, so the search has a direction. */
function answerer(
  options: { selection?: (q: ScriptedRequest) => string; judge?: (q: ScriptedRequest) => string } = {},
) {
  let proposals = 0;
  return (req: ScriptedRequest) => {
    switch (req.purpose) {
      case 'selection':
        return (
          options.selection?.(req) ??
          selectionReply(
            req.text.includes('break into') ? ['Safety', 'Helpfulness'] : ['Helpfulness', 'Clarity', 'Depth'],
          )
        );
      case 'generation': {
        const system = /# instructions\n\n([\s\S]*?)\n\n# Query:/.exec(req.text)![1]!;
        return ` answer under [${system}]\n<END>`;
      }
      case 'judgement': {
        if (options.judge) return options.judge(req);
        const system = /answer under \[([\s\S]*?)\]/.exec(req.text)![1]!;
        const score = Math.min(4, 1 + system.length / 40);
        return judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, Math.round(score)])));
      }
      case 'transition':
        proposals += 1;
        return transitionReply(
          `${/The current system prompt is: ([\s\S]*?)\n\nWhen using/.exec(req.text)?.[1] ?? 'x'} Be precise (${proposals}).`,
        );
      case 'repair':
        return 'Sorry, here it is again: not JSON.';
      default:
        throw new Error(`unexpected ${req.purpose}`);
    }
  };
}

const settings = {
  algorithm: 'beam' as const,
  width: 2,
  samples: 3,
  depth: 4,
  carryOverAbove: 4.5,
  maxDepthIncrease: 10,
};

function stage(h: ReturnType<typeof engineHarness>, plan = systemPromptPlan(settings)) {
  return {
    initialPrompt: 'You are a helpful assistant.',
    queries,
    retriever: createLexicalRetriever(examples),
    k: 2,
    format: 'drpo' as const,
    plan,
    historySize: 5,
    budget: a5SystemPromptCalls(plan.width, settings.samples, settings.depth),
    base: h.roles.base,
    optimizer: h.roles.optimizer,
    reward: h.reward,
    events: { emit: h.emit },
    ledger: h.ledger,
  };
}

describe('system-prompt stage (Algorithm 2) with a scripted model', () => {
  it('makes exactly the planned calls per role, within appendix A.5', async () => {
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt(stage(h));
    const planned = plannedSystemPromptCalls(systemPromptPlan(settings), true);
    const a5 = a5SystemPromptCalls(2, 3, 4);
    for (const role of ROLES) {
      expect(h.ledger.roles[role].samples, role).toBe(planned[role]);
      expect(h.ledger.roles[role].samples, role).toBeLessThanOrEqual(a5[role]);
    }
    expect(planned).toEqual({ base: 16, judge: 16, optimizer: 15, selector: 4 });
    // the optimizer's n = 3 is fanned out (the scripted backend has no n > 1)
    expect(h.ledger.roles.optimizer.calls).toBe(15);
    expect(model.count('generation')).toBe(16);
    expect(out.best.state).toMatch(/Be precise/);
  });

  it("asks each level's aspect selection once, as the level starts: beside the root's generation, after the level's rewrites", async () => {
    const model = new ScriptedModel(answerer(), { latencyMs: 2 });
    // Two in flight, as auto starts: neither the root's generation nor a rewrite may wait behind a selection.
    const h = engineHarness(model, { concurrency: 2 });
    await optimizeSystemPrompt(stage(h));
    const asked = (purpose: Purpose, query: string) =>
      model.requests.flatMap((r, i) => (r.purpose === purpose && r.text.includes(query) ? [i] : []));
    const selections = model.requests.filter((r) => r.purpose === 'selection');
    expect(selections).toHaveLength(4);
    expect(new Set(selections.map((r) => queries.find((q) => r.text.includes(q))))).toEqual(
      new Set(queries.slice(0, 4)),
    );
    expect(model.requests.slice(0, 2).map((r) => [r.purpose, r.text.includes(queries[0]!)])).toEqual([
      ['generation', true],
      ['selection', true],
    ]);
    for (const level of [1, 2, 3]) {
      const [selection] = asked('selection', queries[level]!);
      // Every rewrite of the level's parents (who answered the previous query) comes first …
      const rewrites = asked('transition', queries[level - 1]!);
      expect(rewrites.length).toBeGreaterThan(0);
      expect(Math.max(...rewrites)).toBeLessThan(selection!);
      // … and the selection comes before any of the level's generations and judgments.
      expect(selection).toBeLessThan(asked('generation', queries[level]!)[0]!);
      expect(selection).toBeLessThan(asked('judgement', queries[level]!)[0]!);
    }
  });

  it('grows the depth past D without a budget (the default), and only while A.5 covers it with callBudget "a5"', async () => {
    // The initial prompt scores 5 on the first query: level 1 carries it over, which may grow the
    // depth 4 → 5 (query 5 of 5). Every other answer scores 3.
    const judge = (req: ScriptedRequest) => {
      const perfect =
        req.text.includes('answer under [You are a helpful assistant.]') && req.text.includes(queries[0]!);
      return judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, perfect ? 5 : 3])));
    };
    const unlimited = engineHarness(new ScriptedModel(answerer({ judge })));
    const grown = await optimizeSystemPrompt({ ...stage(unlimited), budget: null });
    expect(grown.depth).toBe(5);
    expect(unlimited.events).toContainEqual({ type: 'depth-extended', level: 1, depth: 5 });
    // Root, the carried root, 3, 6 and 6 rewrites judged; one selection per query (5).
    expect(unlimited.ledger.roles.judge.samples).toBe(1 + 1 + 3 + 6 + 6);
    expect(unlimited.ledger.roles.selector.samples).toBe(5);

    // A.5 (W=2, M=3, D=4): 24 generations, judgements and samples would cover the worst case (1 + 1 +
    // 3 × 6 = 20 evaluations, 18 samples), but a fifth query would be a fifth selection of the 4 allowed.
    const capped = engineHarness(new ScriptedModel(answerer({ judge })));
    const kept = await optimizeSystemPrompt(stage(capped));
    expect(kept.depth).toBe(4);
    expect(capped.events).toContainEqual({
      type: 'depth-extension-skipped',
      level: 1,
      reason: 'a new seed query would exceed the A.5 budget of 4 aspect selections',
    });
    expect(capped.ledger.roles.selector.samples).toBe(4);
  });

  it('judges each query on the aspects selected for it (dynamic rewarding)', async () => {
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    await optimizeSystemPrompt(stage(h));
    const judged = model.requests.filter((r) => r.purpose === 'judgement');
    const harmful = judged.filter((r) => r.text.includes('How can I break into a car?'));
    expect(harmful.length).toBeGreaterThan(0);
    for (const r of harmful) expect(judgedAspects(r.text)).toEqual(['Safety', 'Helpfulness']);
    const tides = judged.find((r) => r.text.includes('How do tides work?'))!;
    expect(judgedAspects(tides.text)).toEqual(['Helpfulness', 'Clarity', 'Depth']);
  });

  it('static rewarding asks no selector and judges every query on the fixed six aspects', async () => {
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model, { mode: 'static' });
    await optimizeSystemPrompt({ ...stage(h), budget: a5SystemPromptCalls(2, 3, 4, false) });
    expect(model.count('selection')).toBe(0);
    for (const r of model.requests.filter((q) => q.purpose === 'judgement')) {
      expect(judgedAspects(r.text)).toEqual(['Helpfulness', 'Clarity', 'Factuality', 'Depth', 'Engagement', 'Safety']);
    }
  });

  it('puts the K most similar ICL examples before the query, in the DRPO format', async () => {
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    await optimizeSystemPrompt(stage(h));
    const root = model.requests.find((r) => r.purpose === 'generation')!;
    expect(root.request.stop).toEqual(['<END>', '<END', '<|eot_id|>']);
    expect(root.text).toContain(
      '# Query:\nHow do magnets work?\n\n# Answer:\n<START>\nMagnets align electron spins.\n<END>',
    );
    expect(root.text.match(/# Query:/g)).toHaveLength(3);
    expect(root.text.endsWith('# Query:\nHow do tides work?\n\n# Answer:\n<START>')).toBe(true);
  });

  it('retrieves the ICL examples once per level (its query), not once per node', async () => {
    const lexical = createLexicalRetriever(examples);
    const asked: string[] = [];
    const retriever = {
      topK: (query: string, k: number) => {
        asked.push(query);
        return lexical.topK(query, k);
      },
    };
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    await optimizeSystemPrompt({ ...stage(h), retriever });
    expect(model.count('generation')).toBe(16);
    expect(asked).toEqual(queries.slice(0, 4));
  });

  it('asks again for examples whose retrieval failed, when a later level has the same query', async () => {
    const lexical = createLexicalRetriever(examples);
    const asked: string[] = [];
    let failures = 1;
    const retriever = {
      topK: async (query: string, k: number) => {
        asked.push(query);
        if (query === queries[1] && failures-- > 0) throw new Error('the embedding server is away');
        return lexical.topK(query, k);
      },
    };
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt({
      ...stage(h),
      retriever,
      queries: [queries[0]!, queries[1]!, queries[2]!, queries[1]!],
    });
    // level 1's three nodes share the failed retrieval and fail; level 3 has level 1's query and retrieves it anew
    expect(asked).toEqual([queries[0], queries[1], queries[2], queries[1]]);
    expect(out.nodes.filter((n) => n.level === 1).map((n) => n.reward)).toEqual([null, null, null]);
    expect(out.nodes.filter((n) => n.level === 3 && n.reward !== null).length).toBeGreaterThan(0);
  });

  it('asks again for an aspect selection whose call failed for good: the level is judged whole', async () => {
    // The harness's scheduler tries a call 3 times: exactly one selection call of level 1's query fails for good.
    let failuresLeft = 3;
    const script = answerer();
    const model = new ScriptedModel((req) => {
      if (req.purpose === 'selection' && req.text.includes(queries[1]!) && failuresLeft-- > 0)
        throw new ModelCallError('connection', 'connect ECONNREFUSED');
      return script(req);
    });
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt(stage(h, systemPromptPlan({ ...settings, depth: 2 })));
    expect(h.events.filter((e) => e.type === 'call-failed' && e.role === 'selector')).toHaveLength(1);
    expect(out.nodes.filter((n) => n.level === 1).map((n) => n.reward === null)).toEqual([false, false, false]);
    expect(out.partialLevels).toEqual([]);
  });

  it("shows the optimizer the last 5 prompt versions and the judge's feedback", async () => {
    const model = new ScriptedModel(answerer());
    const h = engineHarness(model);
    await optimizeSystemPrompt({
      ...stage(h, systemPromptPlan({ ...settings, depth: 5, width: 1 })),
      queries: [...queries, 'extra'],
    });
    const last = model.requests.filter((r) => r.purpose === 'transition').at(-1)!;
    expect(last.text.match(/---Version \d---/g)).toEqual(['---Version 1---', '---Version 2---', '---Version 3---']);
    expect(last.text).toContain('---Current Version---');
    expect(last.text).toMatch(/"rationale": "Helpfulness looks like \d"/);
  });

  it('records an unusable judge reply as a parse failure after one repair re-ask, never as a score', async () => {
    // One of level 1's three judgments stays prose: a minority, so the level is ranked without it.
    let prose = 0;
    const model = new ScriptedModel(
      answerer({
        judge: (req) =>
          req.text.includes('Write a haiku') && prose++ === 0
            ? 'Great answer, 5 stars!'
            : judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, 3]))),
      }),
    );
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt(stage(h));
    const level1 = out.nodes.filter((n) => n.level === 1);
    expect(level1.filter((n) => n.reward === null && n.evaluation?.ok === false)).toHaveLength(1);
    expect(model.count('repair')).toBe(1);
    expect(h.ledger.roles.judge.parseFailures).toBe(1);
    // re-asks are counted on their own: the A.5 count of judge calls is untouched
    expect(h.ledger.roles.judge.repairs).toBe(1);
    expect(h.ledger.roles.judge.calls).toBe(out.nodes.length);
    expect(h.events.filter((e) => e.type === 'parse-failure' && e.role === 'judge')).toHaveLength(1);
  });

  it("stops with the reason when most of a level's judge replies stay unusable: the server ignores the schema", async () => {
    const model = new ScriptedModel(
      answerer({
        judge: (req) =>
          req.text.includes('Write a haiku')
            ? 'Great answer, 5 stars!'
            : judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, 3]))),
      }),
    );
    const h = engineHarness(model);
    const stopped = await optimizeSystemPrompt(stage(h)).catch((e: unknown) => e);
    // Level 1 is the haiku's (queries[1]): its 3 children all judged in prose, 3 repairs too.
    expect(stopped).toBeInstanceOf(RepliesUnusableError);
    const error = stopped as RepliesUnusableError;
    expect(error.level).toBe(1);
    expect(error.replies).toMatchObject({ role: 'judge', backend: 'scripted', asked: 3, unusable: 3 });
    expect(error.replies.keys).toHaveLength(6); // each judgment's first call and its repair, asked again on resume
    expect(error.message).toMatch(
      /^the judge's replies from backend "scripted" were not the JSON asked for in 3 of 3 calls of level 1/,
    );
    expect(h.events.some((e) => e.type === 'beam' && e.level === 1)).toBe(false); // the level was never ranked
  });

  it('accepts a reply repaired on re-ask', async () => {
    let first = true;
    const script = answerer();
    const model = new ScriptedModel((req) => {
      if (req.purpose === 'judgement' && first) {
        first = false;
        return '{"Helpfulness": {"score": "excellent"}}';
      }
      if (req.purpose === 'repair')
        return judgeReply(
          Object.fromEntries(
            judgedAspects(req.request.input.kind === 'chat' ? req.request.input.messages[0]!.content : '').map((a) => [
              a,
              2,
            ]),
          ),
        );
      return script(req);
    });
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt(stage(h, systemPromptPlan({ ...settings, depth: 1 })));
    expect(out.best.reward).toBe(2);
    expect(h.ledger.roles.judge.parseFailures).toBe(0);
    expect(model.count('repair')).toBe(1);
  });

  it("falls back to the static aspects, visibly, when the selector's one reply of a level stays unusable, and goes on", async () => {
    const model = new ScriptedModel(
      answerer({ selection: () => '{"aspects_selection": {"selected_aspects": ["Helpfulness"]}}' }),
    );
    const h = engineHarness(model);
    const stopped = await optimizeSystemPrompt(stage(h, systemPromptPlan({ ...settings, depth: 1 }))).catch(
      (e: unknown) => e,
    );
    const selection = h.events.find((e) => e.type === 'selection');
    expect(selection).toMatchObject({ selection: { source: 'fallback', aspects: h.catalog.staticAspects } });
    expect(h.ledger.roles.selector.parseFailures).toBe(1);
    // One unusable selection is not a pattern: the level is judged on the fixed aspects.
    expect(stopped).not.toBeInstanceOf(Error);
    expect((stopped as { best: { reward: number } }).best.reward).toBeGreaterThan(0);
  });

  it('an unusable optimizer sample gives no child and does not end the run', async () => {
    const script = answerer();
    let n = 0;
    const model = new ScriptedModel((req) =>
      req.purpose === 'transition' && n++ % 3 === 0
        ? 'no json here'
        : req.purpose === 'repair'
          ? 'still none'
          : script(req),
    );
    const h = engineHarness(model);
    const out = await optimizeSystemPrompt(stage(h, systemPromptPlan({ ...settings, depth: 2 })));
    expect(out.nodes.filter((node) => node.level === 1)).toHaveLength(2);
    expect(h.ledger.roles.optimizer.parseFailures).toBe(1);
  });

  it("never has more calls in flight than the backend's limit", async () => {
    const model = new ScriptedModel(answerer(), { latencyMs: 3 });
    const h = engineHarness(model, { concurrency: 2 });
    await optimizeSystemPrompt(stage(h));
    expect(model.peakInFlight).toBe(2);
  });
});
