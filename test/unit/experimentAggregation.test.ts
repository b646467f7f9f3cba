// Experiments' arithmetic, exactly: N/A and unjudged answers are never scores, regular and
// safety items are averaged apart, per-category means average each item's own mean, deltas are
// taken against the baseline on the same target; and the tables carry those numbers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aspectStat,
  categoryStats,
  itemMean,
  summarizeCell,
  withDeltas,
} from '../../src/main/experiments/aggregate.js';
import { evalPrompt, evalSchema } from '../../src/main/experiments/evalJudge.js';
import { parseEvalItems, selectEvalItems, toEvalRecord } from '../../src/main/experiments/evalSet.js';
import { parseUrialPrompt } from '../../src/main/experiments/setups.js';
import {
  aspectTable,
  categoryTable,
  justEvalAspectTable,
  toCsv,
  toMarkdown,
  transferTable,
} from '../../src/main/experiments/tables.js';
import type { ExperimentResult, JudgmentRecord } from '../../src/shared/experimentTypes.js';

const record = (
  itemId: string,
  scores: JudgmentRecord['scores'],
  extra: Partial<JudgmentRecord> = {},
): JudgmentRecord => ({
  setup: 'base',
  target: 't',
  itemId,
  split: 'regular',
  tags: { source: ['lima'] },
  answer: 'a',
  scores,
  ...extra,
});

const regular = (h: number | null, c: number | null, f: number | null, d: number | null, e: number | null) => ({
  helpfulness: h,
  clarity: c,
  factuality: f,
  depth: d,
  engagement: e,
});

describe('score aggregation', () => {
  const records = [
    record('1', regular(5, 4, null, 2, 3)),
    record('2', regular(3, 2, 4, null, 1), { tags: { source: ['oasst'] } }),
    record('3', null, { error: 'unreadable' }),
    record('4', { safety: 5 }, { split: 'safety', tags: { source: ['red-team'] } }),
    record('5', { safety: null }, { split: 'safety', tags: { source: ['red-team'] } }),
    record('6', { safety: 2 }, { split: 'safety', tags: { source: ['red-team'] } }),
  ];

  it('counts N/A apart from the scores and unjudged answers apart from both', () => {
    // Beside each mean, just-eval's figure: every N/A counted as 5 (factuality: 4 and N/A → (4 + 5) / 2).
    expect(aspectStat(records, 'factuality')).toEqual({
      mean: 4,
      n: 1,
      na: 1,
      distribution: [0, 0, 0, 1, 0],
      justEvalMean: 4.5,
    });
    expect(aspectStat(records, 'helpfulness')).toEqual({
      mean: 4,
      n: 2,
      na: 0,
      distribution: [0, 0, 1, 0, 1],
      justEvalMean: 4,
    });
    const cell = summarizeCell('base', 't', records);
    expect(cell).toMatchObject({ items: 6, judged: 5, unjudged: 1 });
    // Safety comes only from safety items, the regular aspects only from regular items.
    expect(cell.aspects.safety).toEqual({
      mean: 3.5,
      n: 2,
      na: 1,
      distribution: [0, 1, 0, 0, 1],
      justEvalMean: (5 + 5 + 2) / 3,
    });
    // The paper's average: the mean of the five aspect means (4, 3, 4, 2, 2), not of all numbers.
    expect(cell.average).toBeCloseTo((4 + 3 + 4 + 2 + 2) / 5, 10);
    // just-eval's: factuality (4, N/A→5) = 4.5 and depth (2, N/A→5) = 3.5; the unjudged answer is left out.
    expect(cell.justEvalAverage).toBeCloseTo((4 + 3 + 4.5 + 3.5 + 2) / 5, 10);
  });

  it('averages each item over its numeric aspects, then items per category', () => {
    expect(itemMean(records[0]!)).toBe(3.5);
    expect(itemMean(records[2]!)).toBeNull();
    expect(itemMean(records[4]!)).toBeNull();
    const stats = categoryStats(records);
    expect(stats.source).toEqual({
      lima: { mean: 3.5, n: 1 },
      oasst: { mean: 2.5, n: 1 },
      'red-team': { mean: 3.5, n: 2 },
    });
    expect(stats.split).toEqual({ regular: { mean: 3, n: 2 }, safety: { mean: 3.5, n: 2 } });
  });

  it('rounds fractional scores into the distribution but averages them as given', () => {
    const stat = aspectStat(
      [record('1', regular(4.5, 1, 1, 1, 1)), record('2', regular(1.2, 1, 1, 1, 1))],
      'helpfulness',
    );
    expect(stat.mean).toBeCloseTo(2.85, 10);
    expect(stat.distribution).toEqual([1, 0, 0, 0, 1]);
  });

  it('gives no average to a cell without regular scores, and deltas against the baseline on the same target', () => {
    const only = summarizeCell('x', 't', [record('1', regular(null, null, null, null, null))]);
    expect(only.average).toBeNull();
    expect(only.aspects.helpfulness!.na).toBe(1);
    const cells = withDeltas(
      [
        summarizeCell('base', 't1', [record('1', regular(2, 2, 2, 2, 2))]),
        summarizeCell('drpo', 't1', [record('1', regular(4, 3, 2, 2, 2))]),
        summarizeCell('base', 't2', [record('1', regular(1, 1, 1, 1, 1))]),
        summarizeCell('drpo', 't2', [record('1', null)]),
      ],
      'base',
    );
    expect(cells[0]!.delta).toBeUndefined();
    expect(cells[1]!.delta!.average).toBeCloseTo(0.6, 10);
    expect(cells[1]!.delta!.aspects).toMatchObject({ helpfulness: 2, clarity: 1, factuality: 0, safety: null });
    expect(cells[3]!.delta).toEqual({ average: null, aspects: expect.objectContaining({ helpfulness: null }) });
  });
});

describe('tables', () => {
  const cells = withDeltas(
    [
      summarizeCell('base', 'model-a', [
        record('1', regular(2, 2, 2, 2, 2)),
        record('2', { safety: 4 }, { split: 'safety' }),
      ]),
      summarizeCell('drpo', 'model-a', [
        record('1', regular(4, 4, 4, 4, 3)),
        record('2', { safety: null }, { split: 'safety' }),
      ]),
    ],
    'base',
  );
  const result: ExperimentResult = {
    id: 'x',
    status: 'finished',
    evalSet: { file: 'f', items: 2, regular: 1, safety: 1 },
    setups: [
      { name: 'base', kind: 'baseline', systemPrompt: 'p', examples: 0, k: 0 },
      { name: 'drpo', kind: 'run', systemPrompt: 'q', examples: 2, k: 2 },
    ],
    targets: [{ name: 'model-a', backend: 'b', format: 'drpo' }],
    baseline: 'base',
    cells,
    wallMs: 1,
  };

  it("lays out the per-aspect table as the paper's Table 1, with N/A and unjudged columns", () => {
    const table = aspectTable(result);
    expect(table.header).toEqual([
      'Model',
      'Setup',
      'Helpful',
      'Clear',
      'Factual',
      'Deep',
      'Engage',
      'Avg.',
      'Avg. just-eval (N/A=5)',
      'Safety',
      'Safety just-eval (N/A=5)',
      'N/A',
      'Unjudged',
    ]);
    // drpo's only safety answer is N/A: no honest safety score; just-eval's scorer makes it a 5.
    const rows = [
      ['model-a', 'base', '2.00', '2.00', '2.00', '2.00', '2.00', '2.00', '2.00', '4.00', '4.00', '0', '0'],
      ['model-a', 'drpo', '4.00', '4.00', '4.00', '4.00', '3.00', '3.80', '3.80', '–', '5.00', '1', '0'],
    ];
    expect(table.rows).toEqual(rows);
    expect(toMarkdown(table)).toContain(
      '| model-a | drpo | 4.00 | 4.00 | 4.00 | 4.00 | 3.00 | 3.80 | 3.80 | – | 5.00 | 1 | 0 |',
    );
    expect(justEvalAspectTable(result).rows).toEqual([
      ['model-a', 'base', '2.00', '2.00', '2.00', '2.00', '2.00', '2.00', '4.00', '0'],
      ['model-a', 'drpo', '4.00', '4.00', '4.00', '4.00', '3.00', '3.80', '5.00', '1'],
    ]);
    // A result.json written before just-eval's figure was stored gets the same figures from its counts.
    const older: ExperimentResult = {
      ...result,
      cells: result.cells.map(({ justEvalAverage: _a, aspects, ...cell }) => ({
        ...cell,
        aspects: Object.fromEntries(
          Object.entries(aspects).map(([name, { justEvalMean: _m, ...stat }]) => [name, stat]),
        ),
      })),
    };
    expect(JSON.stringify(older)).not.toContain('justEval');
    expect(aspectTable(older).rows).toEqual(rows);
  });

  it('writes the transfer matrix with deltas, per-category tables, and CSV that quotes what needs quoting', () => {
    expect(transferTable(result).header).toEqual(['Setup', 'model-a', 'model-a just-eval (N/A=5)']);
    expect(transferTable(result).rows).toEqual([
      ['base', '2.00', '2.00'],
      ['drpo', '3.80 (+1.80)', '3.80 (+1.80)'],
    ]);
    expect(categoryTable(result, 'split').rows).toEqual([
      ['regular', '2.00', '3.80'],
      ['safety', '4.00', '–'],
    ]);
    expect(toCsv({ name: 'n', title: 't', header: ['a', 'b'], rows: [['x, y', 'say "hi"']] })).toBe(
      'a,b\n"x, y","say ""hi"""\n',
    );
  });
});

describe('evaluation sets', () => {
  const file = path.resolve(import.meta.dirname, '../../../shared/reference/just-eval/just_eval_instruct.json');
  const items = parseEvalItems(JSON.parse(readFileSync(file, 'utf8')), file);

  it('reads just-eval-instruct: 800 regular and 200 safety items, grouped by source', () => {
    expect(items).toHaveLength(1000);
    expect(items.filter((i) => i.split === 'safety')).toHaveLength(200);
    expect(items[0]).toMatchObject({ id: '0', split: 'regular', tags: { source: ['helpful_base'] } });
  });

  it('selects by split, category and id, and samples reproducibly in file order', () => {
    expect(selectEvalItems(items, { split: 'safety' })).toHaveLength(200);
    expect(selectEvalItems(items, { categories: ['koala'] })).toHaveLength(76);
    expect(selectEvalItems(items, { ids: [3, '5'] }).map((i) => i.id)).toEqual(['3', '5']);
    const a = selectEvalItems(items, { sample: { size: 20, seed: 7 } });
    expect(a).toHaveLength(20);
    expect(selectEvalItems(items, { sample: { size: 20, seed: 7 } })).toEqual(a);
    expect(selectEvalItems(items, { sample: { size: 20, seed: 8 } })).not.toEqual(a);
    expect(a.map((i) => Number(i.id))).toEqual([...a.map((i) => Number(i.id))].sort((x, y) => x - y));
    expect(() => selectEvalItems(items, { categories: ['nope'] })).toThrow(/no item is left/);
  });

  it("writes an item back in the benchmark's format so it reads as the same item", () => {
    const tagged = parseEvalItems(
      [{ id: 7, instruction: 'q', category: 'safety', dataset: 'lima', task_type: ['math', 'coding'], topic: 'STEM' }],
      'f',
    );
    expect(tagged[0]!.tags).toEqual({ source: ['lima'], task: ['math', 'coding'], topic: ['STEM'] });
    expect(parseEvalItems(tagged.map(toEvalRecord), 'f')).toEqual(tagged);
    expect(parseEvalItems(items.slice(0, 50).map(toEvalRecord), 'f')).toEqual(items.slice(0, 50));
  });

  it('refuses items without an instruction, an unknown split, or a repeated id', () => {
    expect(() => parseEvalItems([{ id: 1 }], 'f')).toThrow(/item 0 has no "instruction"/);
    expect(() => parseEvalItems([{ instruction: 'q', category: 'coding' }], 'f')).toThrow(
      /neither "regular" nor "safety"/,
    );
    expect(() =>
      parseEvalItems(
        [
          { id: 1, instruction: 'a' },
          { id: 1, instruction: 'b' },
        ],
        'f',
      ),
    ).toThrow(/the id 1 appears twice/);
  });
});

describe('URIAL prompts and the evaluation judge prompt', () => {
  it('reads a URIAL prompt file into instructions and fenced examples', () => {
    const file = path.resolve(import.meta.dirname, '../../../shared/reference/urial/inst_1k_v4.txt');
    const { systemPrompt, examples } = parseUrialPrompt(readFileSync(file, 'utf8'), file);
    expect(systemPrompt.startsWith('Below is a list of conversations')).toBe(true);
    expect(systemPrompt).not.toContain('# Instruction');
    expect(examples).toHaveLength(3);
    expect(examples[0]!.query).toBe('Can you tell me some common types of renewable energy sources?');
    expect(examples[2]!.answer).not.toContain('```');
    expect(() => parseUrialPrompt('# Instruction\n\nBe nice.\n\n# Query:\nno fences', 'f')).toThrow(
      /example 1 is not a fenced/,
    );
  });

  it('asks for the five aspects or safety, says whether N/A may be used, and constrains scores to match', () => {
    const prompt = evalPrompt('regular', 'What is [OUTPUT]?', 'An answer.');
    expect(prompt).toContain('- Helpfulness: ');
    expect(prompt).toContain('"engagement": {');
    expect(prompt).toContain('## Query:\nWhat is [OUTPUT]?\n\n## Response:\nAn answer.');
    expect(prompt).toContain('"N/A"');
    expect(evalPrompt('safety', 'q', 'a', { allowNotApplicable: false })).toContain('do not answer "N/A"');
    expect(evalSchema(['safety'], { reasonMaxChars: 40, allowNotApplicable: false })).toMatchObject({
      required: ['safety'],
      properties: { safety: { properties: { score: { enum: [1, 2, 3, 4, 5] }, reason: { maxLength: 40 } } } },
    });
    // No cap on reasons unless the config sets one; just-eval's templates ask for the score as a string.
    expect(evalSchema(['safety'], { justEval: true })).toEqual({
      type: 'object',
      properties: {
        safety: {
          type: 'object',
          properties: { reason: { type: 'string' }, score: { enum: ['1', '2', '3', '4', '5', 'N/A'] } },
          required: ['reason', 'score'],
        },
      },
      required: ['safety'],
    });
  });
});
