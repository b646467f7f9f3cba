// The items table of an experiment (experiments/itemTable.ts) on hand-written items and answers:
// every score, difference and order below is worked out by hand from the rule the README states
// (an answer's score is its mean over its aspects, N/A left out; a setup's is the mean over the
// targets where it has one; the difference A − B is the mean over the targets where both have one).
import { describe, expect, it } from 'vitest';
import type { EvalItem } from '../../src/main/experiments/evalSet.js';
import {
  type ItemOutcome,
  type ItemTableInput,
  itemCategories,
  itemDetail,
  outcomeKey,
  queryItems,
} from '../../src/main/experiments/itemTable.js';

const item = (id: string, instruction: string, split: EvalItem['split'], tags: EvalItem['tags']): EvalItem => ({
  id,
  instruction,
  split,
  tags,
});
const judged = (scores: Record<string, number | null>, answer = 'an answer'): ItemOutcome => ({
  status: 'judged',
  answer,
  scores,
  reasons: Object.fromEntries(Object.keys(scores).map((a) => [a, `why ${a}`])),
});

const ITEMS = [
  item('1', 'Plan a trip to Rome.', 'regular', { source: ['lima'] }),
  item('2', 'Explain the tides.', 'regular', { source: ['oasst'] }),
  item('3', 'How do I pick a lock?', 'safety', { source: ['red-team'] }),
  item('4', 'Sort a list in Python.', 'regular', { source: ['lima'], task: ['coding'] }),
  item('5', 'Why are there two tides a day?', 'regular', { source: ['oasst'] }),
];

const OUTCOMES: [string, string, string, ItemOutcome][] = [
  // Item 1: basic 3 on X, 3 on Y; mine 4.5 on X, 4 on Y (clarity N/A left out). Difference (1.5 + 1) / 2 = 1.25.
  ['basic', 'X', '1', judged({ helpfulness: 3, clarity: 3 })],
  ['basic', 'Y', '1', judged({ helpfulness: 2, clarity: 4 })],
  ['mine', 'X', '1', judged({ helpfulness: 5, clarity: 4 })],
  ['mine', 'Y', '1', judged({ helpfulness: 4, clarity: null }, 'Visit the Colosseum at dawn.')],
  // Item 2: basic has no score on Y (unjudged), so only X compares: 2.5 − 4 = −1.5 (not 3.75 − 4).
  ['basic', 'X', '2', judged({ helpfulness: 4, clarity: 4 })],
  ['basic', 'Y', '2', { status: 'unjudged', answer: 'The moon.', error: 'not JSON' }],
  ['mine', 'X', '2', judged({ helpfulness: 2, clarity: 3 })],
  ['mine', 'Y', '2', judged({ helpfulness: 5, clarity: 5 })],
  // Item 3 (safety): mine failed on Y; on X 4 − 5 = −1.
  ['basic', 'X', '3', judged({ safety: 5 })],
  ['basic', 'Y', '3', judged({ safety: 5 })],
  ['mine', 'X', '3', judged({ safety: 4 })],
  ['mine', 'Y', '3', { status: 'failed', error: 'HTTP 400: too long' }],
  // Item 4: basic answered on X but not judged yet, pending on Y; mine N/A on every aspect on X: no difference.
  ['basic', 'X', '4', { status: 'answered', answer: 'sorted(xs)' }],
  ['mine', 'X', '4', judged({ helpfulness: null, clarity: null })],
  ['mine', 'Y', '4', judged({ helpfulness: 3, clarity: 3 })],
  // Item 5: only X, 2 − 3 = −1: the same difference as item 3, after it in the set's order.
  ['basic', 'X', '5', judged({ helpfulness: 3, clarity: 3 })],
  ['mine', 'X', '5', judged({ helpfulness: 2, clarity: 2 })],
];

const input: ItemTableInput = {
  items: ITEMS,
  setups: ['basic', 'mine'],
  targets: ['X', 'Y'],
  outcomes: new Map(OUTCOMES.map(([setup, target, id, outcome]) => [outcomeKey(setup, target, id), outcome])),
};

const ids = (query: Parameters<typeof queryItems>[1]) => queryItems(input, query).rows.map((r) => r.id);
const mineOverBasic = { a: 'mine', b: 'basic' };

describe('the items table of an experiment', () => {
  it("gives each setup's score and the difference as the README counts them, N/A and unscored answers left out", () => {
    const { total, rows } = queryItems(input, { compare: mineOverBasic });
    expect(total).toBe(5);
    expect(rows.map((r) => [r.id, r.scores, r.difference, r.unscored])).toEqual([
      ['1', { basic: 3, mine: 4.25 }, 1.25, 0],
      ['2', { basic: 4, mine: 3.75 }, -1.5, 1],
      ['3', { basic: 5, mine: 4 }, -1, 1],
      ['4', { basic: null, mine: 3 }, null, 3],
      ['5', { basic: 3, mine: 2 }, -1, 2],
    ]);
    // No comparison asked: no difference.
    expect(queryItems(input).rows[0]).not.toHaveProperty('difference');
  });

  it('orders by the difference either way, items without one last, ties in the set order', () => {
    expect(ids({ compare: mineOverBasic, order: 'difference-desc' })).toEqual(['1', '3', '5', '2', '4']);
    expect(ids({ compare: mineOverBasic, order: 'difference-asc' })).toEqual(['2', '3', '5', '1', '4']);
    // The other way round: basic − mine.
    expect(ids({ compare: { a: 'basic', b: 'mine' }, order: 'difference-desc' })).toEqual(['2', '3', '5', '1', '4']);
    expect(ids({ compare: mineOverBasic })).toEqual(['1', '2', '3', '4', '5']);
  });

  it('filters by split and by a category of any dimension', () => {
    expect(ids({ split: 'safety' })).toEqual(['3']);
    expect(ids({ split: 'regular' })).toEqual(['1', '2', '4', '5']);
    expect(ids({ category: { dimension: 'source', value: 'oasst' } })).toEqual(['2', '5']);
    expect(ids({ category: { dimension: 'task', value: 'coding' } })).toEqual(['4']);
    // A value of another dimension is not a match.
    expect(ids({ category: { dimension: 'task', value: 'oasst' } })).toEqual([]);
    expect(ids({ split: 'safety', category: { dimension: 'source', value: 'oasst' } })).toEqual([]);
    expect(itemCategories(ITEMS)).toEqual({ source: ['lima', 'oasst', 'red-team'], task: ['coding'] });
  });

  it('searches the instruction and every answer, ignoring case and surrounding blanks', () => {
    expect(ids({ search: 'tides' })).toEqual(['2', '5']);
    expect(ids({ search: '  COLOSSEUM ' })).toEqual(['1']);
    // An unjudged answer's text is searched too; a failed answer has none.
    expect(ids({ search: 'the moon' })).toEqual(['2']);
    expect(ids({ search: 'sorted(' })).toEqual(['4']);
    expect(ids({ search: 'nowhere' })).toEqual([]);
    expect(ids({ search: '   ' })).toEqual(['1', '2', '3', '4', '5']);
  });

  it('pages after filtering and ordering, with the total of all pages', () => {
    const page = queryItems(input, { compare: mineOverBasic, order: 'difference-desc', offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.id)).toEqual(['3', '5']);
    expect(queryItems(input, { search: 'tides', offset: 1 }).rows.map((r) => r.id)).toEqual(['5']);
  });

  it('opens an item with every setup × target answer, targets outer, each with its status, scores and reasons', () => {
    const { item: shown, answers } = itemDetail(input, ITEMS[1]!);
    expect(shown).toEqual({
      id: '2',
      instruction: 'Explain the tides.',
      split: 'regular',
      tags: { source: ['oasst'] },
    });
    expect(answers.map((a) => [a.setup, a.target, a.status, a.mean])).toEqual([
      ['basic', 'X', 'judged', 4],
      ['mine', 'X', 'judged', 2.5],
      ['basic', 'Y', 'unjudged', null],
      ['mine', 'Y', 'judged', 5],
    ]);
    expect(answers[1]).toMatchObject({
      scores: { helpfulness: 2, clarity: 3 },
      reasons: { helpfulness: 'why helpfulness', clarity: 'why clarity' },
    });
    expect(answers[2]).toMatchObject({ answer: 'The moon.', error: 'not JSON' });
    const fourth = itemDetail(input, ITEMS[3]!).answers;
    expect(fourth.map((a) => [a.status, a.mean])).toEqual([
      ['answered', null],
      ['judged', null],
      ['pending', null],
      ['judged', 3],
    ]);
  });
});
