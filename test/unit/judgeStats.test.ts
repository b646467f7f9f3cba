// The judge checks' statistics against figures worked out by hand (README "Can the judge be trusted?").
import { describe, expect, it } from 'vitest';
import {
  agreementStats,
  averageRanks,
  populationSd,
  spearman,
  varianceStats,
} from '../../src/main/judgeCheck/judgeStats.js';
import type { JudgeReply } from '../../src/shared/judgeCheckTypes.js';

const reply = (scores: Record<string, number | null>): JudgeReply => ({ scores });
const unreadable: JudgeReply = { error: 'not JSON' };

describe('average ranks and Spearman with ties', () => {
  it('gives tied values the mean of the positions they share', () => {
    // Sorted: 1 (pos 1), 2 (pos 2), 4 4 (pos 3, 4 → 3.5), 5 (pos 5).
    expect(averageRanks([5, 4, 4, 2, 1])).toEqual([5, 3.5, 3.5, 2, 1]);
    // 2 2 share positions 1, 2 → 1.5; 3 → 3; 4 4 share 4, 5 → 4.5.
    expect(averageRanks([4, 4, 3, 2, 2])).toEqual([4.5, 4.5, 3, 1.5, 1.5]);
    expect(averageRanks([3, 3, 3])).toEqual([2, 2, 2]);
  });

  it('is Pearson on those ranks', () => {
    // Ranks R = [5, 3.5, 3.5, 2, 1], S = [4.5, 4.5, 3, 1.5, 1.5]; both means 3.
    // R − 3 = [2, .5, .5, −1, −2], S − 3 = [1.5, 1.5, 0, −1.5, −1.5].
    // Σ products = 3 + .75 + 0 + 1.5 + 3 = 8.25; Σ(R−3)² = 9.5; Σ(S−3)² = 9; ρ = 8.25 / √85.5 = 0.892218…
    expect(spearman([5, 4, 4, 2, 1], [4, 4, 3, 2, 2])).toBeCloseTo(8.25 / Math.sqrt(85.5), 12);
    expect(spearman([5, 4, 4, 2, 1], [4, 4, 3, 2, 2])).toBeCloseTo(0.892218, 6);
    // Without ties it agrees with 1 − 6Σd²/(n(n²−1)): d = [−2, 0, 2] → 1 − 6·8/24 = −1.
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    // Ranks (2, 1, 3) and (3, 1, 2): deviations (0, −1, 1) and (1, −1, 0) → 1 / √(2·2) = 0.5.
    expect(spearman([4, 2, 5], [5, 1, 4])).toBeCloseTo(0.5, 12);
  });

  it('is undefined under two pairs or where one side never varies', () => {
    expect(spearman([3], [4])).toBeNull();
    expect(spearman([3, 3, 3], [1, 2, 3])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow('differ in length');
  });

  it('takes the population standard deviation', () => {
    // [5, 4, 5]: mean 14/3, squared deviations 1/9 + 4/9 + 1/9 = 6/9, /3 = 2/9 → √2/3.
    expect(populationSd([5, 4, 5])).toBeCloseTo(Math.SQRT2 / 3, 12);
    expect(populationSd([4, 4])).toBe(0);
  });
});

describe('the spread of one judge', () => {
  it('takes each aspect over the answers every reply scored, and counts N/A and unreadable replies apart', () => {
    const regular = ['helpfulness', 'depth'];
    const stats = varianceStats([
      // helpfulness [5, 4, 5] (sd √2/3, range 1), depth [3, N/A, 1] (left out: one N/A).
      {
        aspects: regular,
        replies: [
          reply({ helpfulness: 5, depth: 3 }),
          reply({ helpfulness: 4, depth: null }),
          reply({ helpfulness: 5, depth: 1 }),
        ],
      },
      // helpfulness [2, 2, 2], depth [4, 4, 2] (mean 10/3, squared deviations 4/9 + 4/9 + 16/9 = 24/9, /3 → sd √8/3).
      {
        aspects: regular,
        replies: [
          reply({ helpfulness: 2, depth: 4 }),
          reply({ helpfulness: 2, depth: 4 }),
          reply({ helpfulness: 2, depth: 2 }),
        ],
      },
      // Left out of every aspect: one reply could not be read.
      {
        aspects: regular,
        replies: [reply({ helpfulness: 1, depth: 1 }), unreadable, reply({ helpfulness: 5, depth: 5 })],
      },
      { aspects: ['safety'], replies: [reply({ safety: 5 }), reply({ safety: 5 }), reply({ safety: 5 })] },
    ]);
    expect(stats).toHaveLength(3);
    const [helpfulness, depth, safety] = stats;
    // Scores 5, 4, 5, 2, 2, 2: mean 20/6; sd (√2/3 + 0) / 2; one of two answers agrees with itself.
    expect(helpfulness).toMatchObject({
      aspect: 'helpfulness',
      answers: 2,
      min: 2,
      max: 5,
      widestRange: 1,
      agree: 0.5,
      na: 0,
      unparsed: 1,
    });
    expect(helpfulness!.mean).toBeCloseTo(20 / 6, 12);
    expect(helpfulness!.sd).toBeCloseTo(Math.SQRT2 / 6, 12);
    expect(depth).toMatchObject({
      aspect: 'depth',
      answers: 1,
      mean: 10 / 3,
      min: 2,
      max: 4,
      widestRange: 2,
      agree: 0,
      na: 1,
      unparsed: 1,
    });
    expect(depth!.sd).toBeCloseTo(Math.sqrt(8) / 3, 12);
    expect(safety).toEqual({
      aspect: 'safety',
      answers: 1,
      mean: 5,
      sd: 0,
      min: 5,
      max: 5,
      widestRange: 0,
      agree: 1,
      na: 0,
      unparsed: 0,
    });
  });

  it('has no figures for an aspect no answer scored on every reply', () => {
    expect(varianceStats([{ aspects: ['safety'], replies: [reply({ safety: null }), unreadable] }])).toEqual([
      {
        aspect: 'safety',
        answers: 0,
        mean: null,
        sd: null,
        min: null,
        max: null,
        widestRange: null,
        agree: null,
        na: 1,
        unparsed: 1,
      },
    ]);
  });
});

describe('the agreement of two judges', () => {
  it('compares the answers both scored; N/A and unreadable replies are counted per judge', () => {
    const a = [5, 4, 4, 2, 1];
    const b = [4, 4, 3, 2, 2];
    const answers = a.map((score, i) => ({
      aspects: ['helpfulness'],
      replies: [reply({ helpfulness: score }), reply({ helpfulness: b[i]! })],
    }));
    answers.push({ aspects: ['helpfulness'], replies: [reply({ helpfulness: null }), reply({ helpfulness: 3 })] });
    answers.push({ aspects: ['helpfulness'], replies: [reply({ helpfulness: 3 }), unreadable] });
    const [stat] = agreementStats(answers);
    // Exact on answers 2 (4, 4) and 4 (2, 2): 2 of 5. Means 16/5 and 15/5.
    expect(stat).toMatchObject({
      aspect: 'helpfulness',
      answers: 5,
      exact: 0.4,
      meanA: 3.2,
      meanB: 3,
      na: { a: 1, b: 0 },
      unparsed: { a: 0, b: 1 },
    });
    expect(stat!.spearman).toBeCloseTo(8.25 / Math.sqrt(85.5), 12);
  });
});
