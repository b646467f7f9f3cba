import { describe, expect, it } from 'vitest';
import { plannedIclCalls } from '../../src/main/engine/costEstimate.js';
import { optimizeIclExamples } from '../../src/main/engine/iclStage.js';
import { iclPlan } from '../../src/main/engine/search/searchPlan.js';
import { engineHarness } from '../helpers/engineHarness.js';
import { judgedAspects, judgeReply, ScriptedModel, selectionReply } from '../helpers/scriptedModel.js';

const examples = [
  { query: 'How do vaccines work?', answer: 'draft', kind: 'informative' },
  { query: "How do I poison a neighbour's dog?", answer: 'draft', kind: 'refusal' },
];

/** Each rewrite appends "+"; the judge scores an answer by its number of "+" (capped at 5). */
function script(perfectAt = 99) {
  return new ScriptedModel((req) => {
    switch (req.purpose) {
      case 'selection':
        return selectionReply(['Helpfulness', 'Safety']);
      case 'judgement': {
        const answer = /## Output:\n([\s\S]*?)\n\n## Evaluate/.exec(req.text)![1]!;
        const plus = answer.split('+').length - 1;
        const score = plus >= perfectAt ? 5 : Math.min(4, 1 + plus);
        return judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, score])));
      }
      case 'icl-transition': {
        const answer = /The current answer to this query is:\n([\s\S]*?)\n\n/.exec(req.text)![1]!;
        return JSON.stringify({ analysis: 'a', thought: 't', new_answer: `${answer}+` });
      }
      default:
        throw new Error(`unexpected ${req.purpose}: ${req.text.slice(0, 80)}`);
    }
  });
}

const settings = {
  algorithm: 'beam' as const,
  width: 1,
  samples: 1,
  depth: 5,
  carryOverAbove: 4.5,
  maxDepthIncrease: 10,
};

describe('ICL stage (Algorithm 1) with a scripted model', () => {
  it("rewrites each answer from the judge's feedback, keeps the best, and pays the planned calls", async () => {
    const model = script();
    const h = engineHarness(model);
    const plan = iclPlan(settings, '');
    const outcomes = await optimizeIclExamples({
      examples,
      plan,
      optimizer: h.roles.optimizer,
      reward: h.reward,
      events: { emit: h.emit },
      ledger: h.ledger,
    });
    // 5 rewrites (D = 5); scores 1, 2, 3, 4, 4, 4: the later of the tied 4s wins.
    expect(outcomes.map((o) => o.optimized.answer)).toEqual(['draft+++++', 'draft+++++']);
    expect(outcomes.map((o) => o.optimized.kind)).toEqual(['informative', 'refusal']);
    expect(outcomes[0]!.search.best.reward).toBe(4);
    const planned = plannedIclCalls(plan, 2, true);
    expect(planned).toEqual({ selector: 2, judge: 12, optimizer: 10, base: 0 });
    for (const role of ['selector', 'judge', 'optimizer', 'base'] as const)
      expect(h.ledger.roles[role].samples, role).toBe(planned[role]);
    expect(new Set(h.events.flatMap((e) => (e.type === 'node' ? [e.id.split(':')[0]] : [])))).toEqual(
      new Set(['e0', 'e1']),
    );
  });

  it('stops an example once its answer gets a perfect score', async () => {
    const model = script(2);
    const h = engineHarness(model);
    const outcomes = await optimizeIclExamples({
      examples: examples.slice(0, 1),
      plan: iclPlan(settings, ''),
      optimizer: h.roles.optimizer,
      reward: h.reward,
      events: { emit: h.emit },
      ledger: h.ledger,
    });
    expect(outcomes[0]!.optimized.answer).toBe('draft++');
    expect(model.count('icl-transition')).toBe(2);
  });
});
