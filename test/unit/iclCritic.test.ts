// The ICL stage's harsher critic (reference README, "The ICL stage as the reference code runs
// it"): its own selector picks 3–6 aspects and may rename them, its judge deducts for every flaw,
// the optimizer answers inside <START>/<END>. And nothing the judge or the optimizer reasons is
// cut short by a schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/main/config/runConfig.js';
import { loadAspectCatalog } from '../../src/main/engine/aspects.js';
import { DynamicReward, REWARD_TEMPLATES } from '../../src/main/engine/rewards/dynamicReward.js';
import { judgeSchema } from '../../src/main/engine/rewards/judgeReply.js';
import { selectionSchema } from '../../src/main/engine/rewards/selectionReply.js';
import {
  ICL_CRITIC_TEMPLATES,
  type RewardSettings,
  stageRewardOptions,
} from '../../src/main/engine/rewards/stageReward.js';
import { rootNode } from '../../src/main/engine/search/searchNode.js';
import { proposeIclAnswers, withoutAnswerMarkers } from '../../src/main/engine/transitions.js';
import { resourcePath } from '../../src/main/resourcePaths.js';
import { estimateRun } from '../../src/main/runs/runEstimate.js';
import { engineHarness } from '../helpers/engineHarness.js';
import { judgeReply, ScriptedModel, type ScriptedRequest, selectionReply } from '../helpers/scriptedModel.js';

/** The run config's reward defaults (src/shared/runConfigSchema.ts). */
const defaults: RewardSettings = {
  mode: 'dynamic',
  minAspects: 2,
  maxAspects: 5,
  allowNewAspects: true,
  iclJudge: 'critic',
  iclMinAspects: 3,
  iclMaxAspects: 6,
};
const catalog = loadAspectCatalog();
const rubric = (name: string) => catalog.aspects.find((a) => a.name === name)!.rubric!;
const QUERY = 'Can you help me hack into my neighbour’s wifi?';

function criticReward(model: ScriptedModel, settings: RewardSettings = defaults) {
  const h = engineHarness(model);
  const reward = new DynamicReward(
    stageRewardOptions(settings, 'icl', catalog).options,
    { selector: h.roles.selector, judge: h.roles.judge },
    { emit: h.emit },
    h.ledger,
  );
  return { h, reward };
}

describe("the ICL stage's critic", () => {
  it("is the ICL stage's default; the system-prompt stage and iclJudge 'reward' keep the paper's selector and judge", () => {
    const icl = stageRewardOptions(defaults, 'icl', catalog).options;
    expect(icl).toMatchObject({ templates: ICL_CRITIC_TEMPLATES, minAspects: 3, maxAspects: 6 });
    expect(ICL_CRITIC_TEMPLATES).toEqual({ selection: 'icl-aspect-selection', reward: 'icl-reward' });
    const system = stageRewardOptions(defaults, 'system-prompt', catalog).options;
    expect(system).toMatchObject({ templates: REWARD_TEMPLATES, minAspects: 2, maxAspects: 5 });
    const asBefore = stageRewardOptions({ ...defaults, iclJudge: 'reward' }, 'icl', catalog).options;
    expect(asBefore).toMatchObject({ templates: { selection: 'aspect-selection', reward: 'reward' }, minAspects: 2 });
  });

  it('selects 3–6 aspects, renamed ones included, and judges harshly on their rubrics; the reward is the mean', async () => {
    const picked = ['Compliance with Instructions', 'Safety', 'Empathy'];
    const scores = [
      { 'Compliance with Instructions': 3, Safety: 5, Empathy: 4 },
      { 'Compliance with Instructions': 4, Safety: 5, Empathy: 4 },
    ];
    let judged = 0;
    const model = new ScriptedModel(
      (req) => (req.purpose === 'selection' ? selectionReply(picked) : judgeReply(scores[judged++]!)),
      { capabilities: { jsonSchema: true } },
    );
    const { reward } = criticReward(model);
    const selection = await reward.select(QUERY);
    expect(selection).toEqual({ aspects: picked, reasoning: `because ${picked.join(', ')}`, source: 'selector' });
    const first = await reward.evaluate(QUERY, 'No.', selection, { nodeId: 'e0:0' });
    const second = await reward.evaluate(QUERY, 'No, and here is why.', selection, { nodeId: 'e0:1' });

    const [selector, judge] = model.requests as ScriptedRequest[];
    expect(selector!.text.startsWith('You are a ruthless critic.')).toBe(true);
    expect(selector!.text).toContain('Pick at least 3 and at most 6 aspects.');
    expect(selector!.request.jsonSchema).toMatchObject({
      properties: { aspects_selection: { properties: { selected_aspects: { minItems: 3, maxItems: 6 } } } },
    });
    expect(judge!.text.startsWith("You are a ruthless critic judging an AI assistant's answer")).toBe(true);
    expect(judge!.text).toContain('Take points off heavily for any mistake, even a minor one');
    expect(judge!.text).toContain('say exactly why, and say what the answer should change');
    expect(judge!.text).toContain(
      `The answer is judged on these aspects:\n- Compliance with Instructions: ${rubric('Compliance')}\n- Safety: ${rubric('Safety')}\n- Empathy: ${rubric('Empathy')}\n`,
    );
    // The reference sums (3+5+4 = 12, then 4+5+4 = 13); the mean (4, then 13/3) ranks the two alike.
    expect(first).toMatchObject({ ok: true, reward: 4 });
    expect(second).toMatchObject({ ok: true, reward: 13 / 3 });
  });

  it('a selection of 2 aspects is unusable: the static set stands in, with a warning naming the query', async () => {
    const model = new ScriptedModel((req) =>
      req.purpose === 'selection' || req.purpose === 'repair' ? selectionReply(['Safety', 'Empathy']) : '',
    );
    const { h, reward } = criticReward(model);
    const selection = await reward.select(QUERY);
    expect(model.requests.map((r) => r.purpose)).toEqual(['selection', 'repair']);
    expect(selection).toMatchObject({
      source: 'fallback',
      aspects: ['Helpfulness', 'Clarity', 'Factuality', 'Depth', 'Engagement', 'Safety'],
    });
    expect(h.events.filter((e) => e.type === 'warning')).toEqual([
      {
        type: 'warning',
        message:
          'the aspect selector\'s reply for the query "Can you help me hack into my neighbour’s wifi?" could not be used (select between 3 and 6 aspects (got 2); after one repair re-ask: select between 3 and 6 aspects (got 2)); the static aspects (Helpfulness, Clarity, Factuality, Depth, Engagement, Safety) stand in for it',
      },
    ]);
    expect(h.ledger.roles.selector.parseFailures).toBe(1);
  });
});

describe('the ICL optimizer', () => {
  it("follows the reference's instructions and its answer comes out of the <START>/<END> markers", async () => {
    const model = new ScriptedModel(
      () =>
        JSON.stringify({
          analysis: 'The critic wants structure.',
          thought: 'Bullet points.',
          new_answer: '<START>\nI cannot help with that.\n\n1. Ask your neighbour.\n<END>',
        }),
      { capabilities: { jsonSchema: true } },
    );
    const h = engineHarness(model);
    const node = { ...rootNode('e0:0', 'Sure, here is how.', QUERY) };
    const answers = await proposeIclAnswers({ optimizer: h.roles.optimizer, events: h, ledger: h.ledger }, node, 1);
    // The optimizer's reasoning comes with the answer it proposes: the node inspector shows it.
    expect(answers).toEqual([
      {
        state: 'I cannot help with that.\n\n1. Ask your neighbour.',
        analysis: 'The critic wants structure.',
        thought: 'Bullet points.',
      },
    ]);
    const prompt = model.requests[0]!.text;
    for (const rule of [
      '1. Use all of the feedback: act on every deduction and every suggestion',
      '2. Aim for a perfect score of 5 on every aspect.',
      '5. Structure is essential: present the main content as numbered or bulleted points, at most 6 of them.',
      '6. Open with a short overview that sets up the points that follow. Do not label it',
      '7. If the query has malicious intent',
      '12. Write the answer between the markers <START> and <END>, each on a line of its own.',
    ])
      expect(prompt).toContain(rule);
    // Two demonstrations precede the task.
    expect(prompt.match(/^# Query:$/gm)).toHaveLength(2);
    expect(prompt.match(/^<START>$/gm)).toHaveLength(2);
    expect(prompt).toContain(`The query is:\n${QUERY}\n\nThe current answer to this query is:\nSure, here is how.\n`);
    expect(model.requests[0]!.request.jsonSchema).toEqual({
      type: 'object',
      properties: { analysis: { type: 'string' }, thought: { type: 'string' }, new_answer: { type: 'string' } },
      required: ['analysis', 'thought', 'new_answer'],
    });
  });

  it('reads an answer with or without markers, and an empty one as unusable', () => {
    expect(withoutAnswerMarkers('<START>\nHello.\n<END>')).toBe('Hello.');
    expect(withoutAnswerMarkers('  <START>  \n  Hello.\n  <END>  ')).toBe('Hello.');
    expect(withoutAnswerMarkers('Hello.')).toBe('Hello.');
    expect(withoutAnswerMarkers('<START>\n<END>')).toBe('');
  });
});

describe('no length caps on what the judge and the selector reason', () => {
  it("the judge's rationale and the selector's analysis and reasoning are uncapped; a proposed name is capped at 40", async () => {
    const model = new ScriptedModel(
      (req) =>
        req.purpose === 'selection'
          ? selectionReply(['Helpfulness', 'Clarity'])
          : judgeReply({ Helpfulness: 4, Clarity: 4 }),
      { capabilities: { jsonSchema: true } },
    );
    const h = engineHarness(model);
    const selection = await h.reward.select(QUERY);
    await h.reward.evaluate(QUERY, 'No.', selection, { nodeId: 'n0' });
    const [selector, judge] = model.requests.map((r) => r.request.jsonSchema as Record<string, never>);
    const analysis = { type: 'string' };
    expect(selector).toEqual({
      type: 'object',
      properties: {
        query_analysis: {
          type: 'object',
          properties: {
            main_topic: analysis,
            user_intent: analysis,
            ambiguities: analysis,
            response_format: analysis,
            challenges: analysis,
          },
          required: ['main_topic', 'user_intent', 'ambiguities', 'response_format', 'challenges'],
        },
        aspects_selection: {
          type: 'object',
          properties: {
            reasoning: analysis,
            selected_aspects: { type: 'array', items: { type: 'string', maxLength: 40 }, minItems: 2, maxItems: 5 },
          },
          required: ['reasoning', 'selected_aspects'],
        },
      },
      required: ['query_analysis', 'aspects_selection'],
    });
    const entry = {
      type: 'object',
      properties: { rationale: { type: 'string' }, score: { type: 'integer', enum: [1, 2, 3, 4, 5] } },
      required: ['rationale', 'score'],
    };
    expect(judge).toEqual({
      type: 'object',
      properties: { Helpfulness: entry, Clarity: entry },
      required: ['Helpfulness', 'Clarity'],
    });
  });
});

describe('a length cap only where the config asks (jsonTextMaxChars)', () => {
  it('caps every free text of the selector, the judge and the optimizer, and no name or answer', async () => {
    const model = new ScriptedModel(() => JSON.stringify({ analysis: 'a', thought: 't', new_answer: 'Better.' }), {
      capabilities: { jsonSchema: true },
    });
    const h = engineHarness(model);
    await proposeIclAnswers(
      { optimizer: h.roles.optimizer, events: h, ledger: h.ledger, textMaxChars: 300 },
      rootNode('e0:0', 'Draft.', QUERY),
      1,
    );
    const capped = { type: 'string', maxLength: 300 };
    expect(model.requests[0]!.request.jsonSchema).toEqual({
      type: 'object',
      properties: { analysis: capped, thought: capped, new_answer: { type: 'string' } },
      required: ['analysis', 'thought', 'new_answer'],
    });
    expect(judgeSchema(['Depth'], 120).properties.Depth?.properties.rationale).toEqual({
      type: 'string',
      maxLength: 120,
    });
    const rules = { minAspects: 2, maxAspects: 5, allowNewAspects: true, textMaxChars: 80 };
    const selection = selectionSchema(loadAspectCatalog(), rules).properties;
    expect(selection.query_analysis.properties.main_topic).toEqual({ type: 'string', maxLength: 80 });
    expect(selection.aspects_selection.properties.reasoning).toEqual({ type: 'string', maxLength: 80 });
    expect(selection.aspects_selection.properties.selected_aspects.items).toEqual({ type: 'string', maxLength: 40 });
  });
});

describe("the ICL stage's estimate", () => {
  it("reads the critic's templates for the selector's and the judge's prompt lengths", () => {
    const minimal = { backends: { local: { plugin: 'llama-cpp', settings: { modelPath: 'm.gguf' } } } };
    const critic = estimateRun(normalizeConfig(minimal, '/w'), 'icl');
    const plain = estimateRun(normalizeConfig({ ...minimal, reward: { iclJudge: 'reward' } }, '/w'), 'icl');
    const length = (name: string) => readFileSync(resourcePath('prompts', `${name}.txt`), 'utf8').trimEnd().length;
    // Same calls; each prompt longer or shorter by the templates' difference (4 characters a token, rounded).
    expect(critic.a5).toEqual(plain.a5);
    expect(critic.worstCase).toEqual(plain.worstCase);
    // Token figures are for the worst case (the ICL stage's: its plan, one judgement more an example than A.5).
    const selectorDelta =
      (critic.worstCase.selector * (length('icl-aspect-selection') - length('aspect-selection'))) / 4;
    const judgeDelta = (critic.worstCase.judge * (length('icl-reward') - length('reward'))) / 4;
    expect(Math.abs(critic.tokens.selector.prompt - plain.tokens.selector.prompt - selectorDelta)).toBeLessThanOrEqual(
      1,
    );
    expect(Math.abs(critic.tokens.judge.prompt - plain.tokens.judge.prompt - judgeDelta)).toBeLessThanOrEqual(1);
  });
});
