// The judge checks through their real pieces (experiment folder, saved connections, the openai
// plugin over HTTP, schedulers, the judge protocol's reader) against varying judges whose scores
// are scripted (test/support/varyingJudge.ts), so every figure is known by hand.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planJudgeCheck, runJudgeCheck } from '../../src/main/judgeCheck/judgeCheck.js';
import type { JudgeCheckResult } from '../../src/shared/judgeCheckTypes.js';
import { finishedExperiment, type JudgeCheckFixture } from '../support/judgeCheckFixture.js';

let fixture: JudgeCheckFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const S2 = Math.SQRT2;

describe('re-judging the same answers N times', () => {
  it("gives each aspect's spread over the answers every round scored", async () => {
    fixture = await finishedExperiment({
      judgeA: {
        '1': [
          { helpfulness: 5, clarity: 4, factuality: 'N/A', depth: 3, engagement: 2 },
          { helpfulness: 4, clarity: 4, factuality: 3, depth: 3, engagement: 2 },
          { helpfulness: 5, clarity: 4, factuality: 3, depth: 1, engagement: 2 },
        ],
        '2': [2, 3, 2],
        '3': [4],
        '4': [4],
        '5': [4],
        '6': [5, 'unreadable', 5],
      },
    });
    const plan = planJudgeCheck(fixture.experimentDir, {
      kind: 'variance',
      judge: 'judgeA',
      times: 3,
      sample: 10,
      seed: 0,
    });
    expect(plan.estimate).toEqual({ answers: 6, available: 6, calls: 18, worstCase: 36, judges: ['judgeA'] });
    const progress: number[] = [];
    const result = await runJudgeCheck(plan, {
      userDataDir: fixture.userDataDir,
      onProgress: (done) => progress.push(done),
    });
    expect(progress.at(-1)).toBe(18);
    // 18 judgments, and one repair re-ask for the unreadable reply.
    expect(fixture.models.judgeA!.count('judgement')).toBe(18);
    expect(fixture.models.judgeA!.count('repair')).toBe(1);
    const by = Object.fromEntries(result.variance!.map((s) => [s.aspect, s]));
    // Items 3–5 score 4 three times; item 1 as scripted; item 2 [2, 3, 2] (sd √2/3) on every aspect.
    // helpfulness: [5,4,5] (sd √2/3) [2,3,2] and 3 × [4,4,4]: mean 57/15, sd (2√2/3)/5, 3 of 5 agree.
    expect(by.helpfulness).toMatchObject({
      answers: 5,
      min: 2,
      max: 5,
      widestRange: 1,
      agree: 0.6,
      na: 0,
      unparsed: 0,
    });
    expect(by.helpfulness!.mean).toBeCloseTo(57 / 15, 12);
    expect(by.helpfulness!.sd).toBeCloseTo((2 * S2) / 15, 12);
    // clarity: [4,4,4] [2,3,2] 3 × [4,4,4]: mean 55/15, sd (√2/3)/5, 4 of 5 agree.
    expect(by.clarity).toMatchObject({ answers: 5, min: 2, max: 4, widestRange: 1, agree: 0.8 });
    expect(by.clarity!.mean).toBeCloseTo(55 / 15, 12);
    expect(by.clarity!.sd).toBeCloseTo(S2 / 15, 12);
    // factuality: item 1 said N/A once and is left out: [2,3,2] 3 × [4,4,4], mean 43/12, sd (√2/3)/4.
    expect(by.factuality).toMatchObject({ answers: 4, min: 2, max: 4, widestRange: 1, agree: 0.75, na: 1 });
    expect(by.factuality!.mean).toBeCloseTo(43 / 12, 12);
    expect(by.factuality!.sd).toBeCloseTo(S2 / 12, 12);
    // depth: [3,3,1] (sd √8/3 = 2√2/3, range 2) [2,3,2] 3 × [4,4,4]: mean 50/15, sd (3√2/3)/5 = √2/5.
    expect(by.depth).toMatchObject({ answers: 5, min: 1, max: 4, widestRange: 2, agree: 0.6 });
    expect(by.depth!.mean).toBeCloseTo(50 / 15, 12);
    expect(by.depth!.sd).toBeCloseTo(S2 / 5, 12);
    // engagement: [2,2,2] [2,3,2] 3 × [4,4,4]: mean 49/15, sd (√2/3)/5.
    expect(by.engagement).toMatchObject({ answers: 5, min: 2, max: 4, agree: 0.8 });
    expect(by.engagement!.mean).toBeCloseTo(49 / 15, 12);
    // safety: item 6's second reply could not be read: no answer left, the reply counted apart.
    expect(by.safety).toEqual({
      aspect: 'safety',
      answers: 0,
      mean: null,
      sd: null,
      min: null,
      max: null,
      widestRange: null,
      agree: null,
      na: 0,
      unparsed: 1,
    });
    expect(result.cost).toEqual([expect.objectContaining({ judge: 'judgeA', calls: 19 })]);
    // Saved with every reply.
    const saved = JSON.parse(readFileSync(result.file, 'utf8')) as JudgeCheckResult;
    expect(saved.replies[0]).toHaveLength(3);
    expect(saved.variance).toEqual(result.variance);
  });
});

describe('two judges on the same answers', () => {
  it('gives per aspect the rank correlation and the exact agreement, N/A and unreadable replies apart', async () => {
    // Per item (1–5 regular, 6 safety): A's and B's single reply.
    fixture = await finishedExperiment({
      judgeA: {
        '1': [{ helpfulness: 5, clarity: 3, factuality: 4, depth: 1, engagement: 2 }],
        '2': [{ helpfulness: 4, clarity: 3, factuality: 'N/A', depth: 2, engagement: 2 }],
        '3': [{ helpfulness: 4, clarity: 3, factuality: 3, depth: 3, engagement: 2 }],
        '4': [{ helpfulness: 2, clarity: 3, factuality: 2, depth: 4, engagement: 2 }],
        '5': [{ helpfulness: 1, clarity: 3, factuality: 5, depth: 5, engagement: 2 }],
        '6': [5],
      },
      judgeB: {
        '1': [{ helpfulness: 4, clarity: 3, factuality: 5, depth: 5, engagement: 2 }],
        '2': [{ helpfulness: 4, clarity: 3, factuality: 4, depth: 4, engagement: 2 }],
        '3': [{ helpfulness: 3, clarity: 3, factuality: 'N/A', depth: 3, engagement: 2 }],
        '4': [{ helpfulness: 2, clarity: 4, factuality: 1, depth: 2, engagement: 2 }],
        '5': [{ helpfulness: 2, clarity: 5, factuality: 4, depth: 1, engagement: 2 }],
        '6': ['unreadable'],
      },
    });
    const plan = planJudgeCheck(fixture.experimentDir, {
      kind: 'agreement',
      judges: ['judgeA', 'judgeB'],
      sample: 10,
      seed: 0,
    });
    expect(plan.estimate).toMatchObject({ answers: 6, calls: 12, worstCase: 24, judges: ['judgeA', 'judgeB'] });
    const result = await runJudgeCheck(plan, { userDataDir: fixture.userDataDir });
    const by = Object.fromEntries(result.agreement!.map((s) => [s.aspect, s]));
    // helpfulness A [5,4,4,2,1], B [4,4,3,2,2]: ρ = 8.25/√85.5 (test/unit/judgeStats.test.ts works it out);
    // exact on items 2 and 4.
    expect(by.helpfulness).toMatchObject({ answers: 5, exact: 0.4, meanA: 3.2, meanB: 3, na: { a: 0, b: 0 } });
    expect(by.helpfulness!.spearman).toBeCloseTo(8.25 / Math.sqrt(85.5), 12);
    // clarity: A gives 3 to all, so its ranks never vary: no correlation; exact on items 1–3.
    expect(by.clarity).toMatchObject({ answers: 5, spearman: null, exact: 0.6, meanA: 3, meanB: 3.6 });
    // factuality: A's N/A on item 2 and B's on item 3 leave items 1, 4, 5: A (4, 2, 5), B (5, 1, 4):
    // ranks (2, 1, 3) and (3, 1, 2) → ρ = 0.5; never equal.
    expect(by.factuality).toMatchObject({ answers: 3, exact: 0, na: { a: 1, b: 1 }, unparsed: { a: 0, b: 0 } });
    expect(by.factuality!.spearman).toBeCloseTo(0.5, 12);
    expect(by.factuality!.meanA).toBeCloseTo(11 / 3, 12);
    // depth: exactly reversed, equal only on item 3.
    expect(by.depth).toMatchObject({ answers: 5, spearman: -1, exact: 0.2 });
    // engagement: both give 2 everywhere: the same scores, yet no rank correlation to speak of.
    expect(by.engagement).toMatchObject({ answers: 5, spearman: null, exact: 1 });
    // safety: B's reply could not be read: nothing compared, counted for B.
    expect(by.safety).toEqual({
      aspect: 'safety',
      answers: 0,
      spearman: null,
      exact: null,
      meanA: null,
      meanB: null,
      na: { a: 0, b: 0 },
      unparsed: { a: 0, b: 1 },
    });
  });

  it('refuses a folder that is not an experiment or has not finished, and names an unknown judge', async () => {
    fixture = await finishedExperiment({ judgeA: { '1': [3] } });
    expect(() => planJudgeCheck(fixture!.userDataDir, { kind: 'variance', times: 2, sample: 1, seed: 0 })).toThrow(
      'is not an experiment folder',
    );
    const plan = planJudgeCheck(fixture.experimentDir, {
      kind: 'agreement',
      judges: ['judgeA', 'nobody'],
      sample: 2,
      seed: 0,
    });
    expect(plan.estimate.answers).toBe(2);
    await expect(runJudgeCheck(plan, { userDataDir: fixture.userDataDir })).rejects.toThrow(
      'no saved connection "nobody"',
    );
    // Without result.json the experiment has not finished: its answers may be incomplete.
    rmSync(path.join(fixture.experimentDir, 'result.json'));
    expect(() => planJudgeCheck(fixture!.experimentDir, { kind: 'variance', times: 2, sample: 1, seed: 0 })).toThrow(
      'has not finished',
    );
  });
});
