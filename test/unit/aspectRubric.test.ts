// The aspect catalog's two texts: the selector reads the short line of appendix E.1.2, the judge
// the reference judge's anchored rubric (../shared/reference/drpo/judge-rubric.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadAspectCatalog,
  renderAspectList,
  requireRubrics,
  validateAspectCatalog,
} from '../../src/main/engine/aspects.js';
import { engineHarness } from '../helpers/engineHarness.js';
import { judgedAspects, judgeReply, ScriptedModel, selectionReply } from '../helpers/scriptedModel.js';

const RUBRIC_FILE = path.resolve(import.meta.dirname, '../../../shared/reference/drpo/judge-rubric.json');
const reference = (JSON.parse(readFileSync(RUBRIC_FILE, 'utf8')) as { aspects: Record<string, string> }).aspects;

describe('the judge rubric in the aspect catalog', () => {
  it("gives the 14 built-in aspects the reference judge's rubric lines, character for character", () => {
    const catalog = loadAspectCatalog();
    expect(catalog.aspects.map((a) => a.name)).toEqual(Object.keys(reference));
    for (const aspect of catalog.aspects) expect(aspect.rubric, aspect.name).toBe(reference[aspect.name]);
    // The selector's lines stay the paper's short ones (appendix E.1.2).
    expect(catalog.aspects[0]!.description).toBe(
      "The response should directly address the user's query and provide a relevant and practical solution or guidance.",
    );
  });

  it('reads a catalog without rubrics (written before they existed); a blank rubric is none', () => {
    const catalog = validateAspectCatalog(
      {
        aspects: [
          { name: 'Helpfulness', description: 'Helps.' },
          { name: 'Brevity', description: 'Short.', rubric: '   ' },
        ],
        staticAspects: ['Helpfulness'],
      },
      'old.json',
    );
    expect(catalog.aspects).toEqual([
      { name: 'Helpfulness', description: 'Helps.', enabled: true },
      { name: 'Brevity', description: 'Short.', enabled: true },
    ]);
  });

  it('the judge reads each rubric, the selector each short line; without a rubric the judge reads the short line', () => {
    const catalog = validateAspectCatalog(
      {
        aspects: [
          { name: 'Helpfulness', description: 'Helps.', rubric: 'A score of 5 indicates full help, while a 1 none.' },
          { name: 'Brevity', description: 'Short.' },
        ],
        staticAspects: ['Helpfulness'],
      },
      'x',
    );
    expect(renderAspectList(catalog, ['Helpfulness', 'Brevity'], 'judge')).toBe(
      '- Helpfulness: A score of 5 indicates full help, while a 1 none.\n- Brevity: Short.',
    );
    expect(renderAspectList(catalog, ['Helpfulness', 'Brevity'])).toBe('- Helpfulness: Helps.\n- Brevity: Short.');
  });

  it("a renamed aspect (the ICL critic's) reads the rubric of the one aspect it names; others are marked as proposed", () => {
    const catalog = loadAspectCatalog();
    expect(
      renderAspectList(
        catalog,
        ['Compliance with Instructions', 'Acknowledgement of Limitations', 'Cultural Sensitivity'],
        'judge',
      ),
    ).toBe(
      [
        `- Compliance with Instructions: ${reference.Compliance}`,
        `- Acknowledgement of Limitations: ${reference.Limitations}`,
        `- Cultural Sensitivity: ${reference.Sensitivity}`,
      ].join('\n'),
    );
    // Two aspects named, or none: no text to borrow.
    expect(renderAspectList(catalog, ['Depth and Clarity', 'Humour'], 'judge')).toBe(
      '- Depth and Clarity: An aspect proposed by the aspect selector for this query.\n- Humour: An aspect proposed by the aspect selector for this query.',
    );
  });

  it('refuses a new aspect without a rubric, or a rubric cleared, and keeps an old catalog’s aspects as they were', () => {
    const old = validateAspectCatalog(
      { aspects: [{ name: 'Helpfulness', description: 'Helps.' }], staticAspects: ['Helpfulness'] },
      'old',
    );
    const withBrevity = validateAspectCatalog(
      {
        aspects: [
          { name: 'Helpfulness', description: 'Helps.' },
          { name: 'Brevity', description: 'Short.', rubric: '' },
        ],
        staticAspects: ['Helpfulness'],
      },
      'edited',
    );
    expect(() => requireRubrics(withBrevity, old, 'the edited catalog')).toThrow(
      'invalid aspect catalog the edited catalog: "Brevity" has no rubric — write the line the judge scores it by (e.g. "A score of 5 indicates …, while a 1 suggests …")',
    );
    // Helpfulness had none before: it may stay so.
    expect(() => requireRubrics(old, old, 'the edited catalog')).not.toThrow();
    const builtIn = loadAspectCatalog();
    const cleared = { ...builtIn, aspects: builtIn.aspects.map(({ rubric: _, ...a }) => a) };
    expect(() => requireRubrics(cleared, builtIn, 'the edited catalog')).toThrow(
      /"Helpfulness", "Clarity", .*"Sensitivity" have no rubric/,
    );
  });

  it("the reward judge's prompt lists the selected aspects' rubrics; the selector's prompt the short lines", async () => {
    const model = new ScriptedModel((req) =>
      req.purpose === 'selection'
        ? selectionReply(['Factuality', 'Critical-Thinking'])
        : judgeReply(Object.fromEntries(judgedAspects(req.text).map((a) => [a, 4]))),
    );
    const h = engineHarness(model);
    const selection = await h.reward.select('Is the Great Wall visible from space?');
    await h.reward.evaluate('Is the Great Wall visible from space?', 'No.', selection, { nodeId: 'n0' });
    const [selector, judge] = model.requests;
    expect(selector!.text).toContain(
      '- Factuality: Information provided must be accurate, truthful, and based on reliable sources, acknowledging any uncertainties where applicable.\n',
    );
    expect(selector!.text).not.toContain('A score of 5');
    expect(judge!.text).toContain(
      `Below is a list of aspects for evaluating the quality of the response:\n- Factuality: ${reference.Factuality}\n- Critical-Thinking: ${reference['Critical-Thinking']}\n\nThese aspects are selected for the following reasons:\nbecause Factuality, Critical-Thinking\n`,
    );
  });
});
