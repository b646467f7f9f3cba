// Trying criteria, as data: what changed between the catalog of the judgement before an edit and
// the one after (the words beside "After edit"), the score change per aspect, and the cost lines.
// Catalogs and judgements written out by hand.
import { describe, expect, it } from 'vitest';
import { catalogChanges } from '../../src/renderer/src/screens/criteria/try/catalogChanges';
import { scoreChanges, signed } from '../../src/renderer/src/screens/criteria/try/scoreChanges';
import { estimateText, spentText } from '../../src/renderer/src/screens/criteria/try/tryCost';
import type { AspectCatalogDto } from '../../src/shared/studioApi';

const BEFORE: AspectCatalogDto = {
  aspects: [
    { name: 'Brevity', description: 'Short.', rubric: 'A 5 is at most 20 words.', enabled: true },
    { name: 'Clarity', description: 'Clear.', enabled: true },
    { name: 'Depth', description: 'Deep.', rubric: 'Thorough.', enabled: true },
  ],
  staticAspects: ['Clarity'],
};

describe('catalogChanges', () => {
  it('names each changed field, added and removed aspects, and the static set', () => {
    const after: AspectCatalogDto = {
      aspects: [
        { name: 'Brevity', description: 'Short.', rubric: 'A 5 is at most 5 words.', enabled: true },
        { name: 'Clarity', description: 'Clear and plain.', enabled: false },
        { name: 'Tone', description: 'Kind.', rubric: 'Kind.', enabled: true },
      ],
      staticAspects: ['Clarity', 'Tone'],
    };
    expect(catalogChanges(BEFORE, after)).toEqual([
      'Brevity: rubric',
      'Clarity: selector line, disabled',
      '+ Tone',
      '− Depth',
      'static set',
    ]);
  });

  it('is empty for the same catalog, whatever the static set order; an emptied rubric is no rubric', () => {
    const same = structuredClone(BEFORE);
    same.staticAspects = ['Clarity'];
    same.aspects[1]!.rubric = '';
    expect(catalogChanges(BEFORE, same)).toEqual([]);
  });
});

describe('scoreChanges', () => {
  it('subtracts per aspect and leaves a dash where one side has no score', () => {
    const before = {
      ok: true as const,
      scores: [
        { aspect: 'Brevity', score: 5, rationale: '' },
        { aspect: 'Depth', score: 3, rationale: '' },
      ],
      reward: 4,
    };
    const after = {
      ok: true as const,
      scores: [
        { aspect: 'Brevity', score: 2, rationale: '' },
        { aspect: 'Tone', score: 4, rationale: '' },
      ],
      reward: 3,
    };
    expect(scoreChanges(before, after)).toEqual([
      { aspect: 'Brevity', before: 5, after: 2, change: -3 },
      { aspect: 'Tone', before: null, after: 4, change: null },
      { aspect: 'Depth', before: 3, after: null, change: null },
    ]);
    // An unusable reply has no scores: nothing to compare, never a zero.
    expect(scoreChanges({ ok: false, error: 'not JSON' }, after).map((c) => c.change)).toEqual([null, null]);
  });

  it('signs changes with a true minus', () => {
    expect([signed(-3), signed(2), signed(0), signed(null), signed(0.5, 2)]).toEqual(['−3', '+2', '±0', '–', '+0.50']);
  });
});

describe('cost lines', () => {
  it('say calls, the worst case, tokens and dollars, or that there is no price', () => {
    expect(
      estimateText({
        calls: 2,
        worstCase: 4,
        steps: ['select', 'judge'],
        promptTokens: 1200,
        completionTokens: 300,
        costUsd: null,
      }),
    ).toBe(
      'Estimate: 2 calls (select, judge), at most 4 with repair re-asks · 1,500 tokens (1,200 in, 300 out) · no price',
    );
    expect(spentText({ calls: 1, promptTokens: 10, completionTokens: 5, costUsd: 0.00125 })).toBe(
      'Spent: 1 call · 15 tokens (10 in, 5 out) · $0.0013',
    );
  });
});
