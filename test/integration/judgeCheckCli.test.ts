// `drpo-studio judge-check` through the built CLI (npm run build) against varying judges behind
// local HTTP servers (test/support/varyingJudge.ts): the estimate comes first, --estimate stops
// there, and the table per aspect follows with the figures the scripts make.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeCheckResult } from '../../src/shared/judgeCheckTypes.js';
import { runCliAsync } from '../support/cliProcess.js';
import { finishedExperiment, type JudgeCheckFixture } from '../support/judgeCheckFixture.js';

let fixture: JudgeCheckFixture;
beforeAll(async () => {
  fixture = await finishedExperiment({
    // Items 1–5 regular, 6 safety. A: 4 then 5 on odd items, 3 always on even ones; B: 4 everywhere.
    judgeA: { '1': [4, 5], '2': [3], '3': [4, 5], '4': [3], '5': [4, 5], '6': [{ safety: 'N/A' }] },
    judgeB: { '1': [4], '2': [4], '3': [4], '4': [4], '5': [4], '6': [4] },
  });
});
afterAll(() => fixture?.close());

const cli = (args: string[]) =>
  runCliAsync(['judge-check', ...args, '--experiment', fixture.experimentDir, '--user-data', fixture.userDataDir], '.');

describe('drpo-studio judge-check', () => {
  it('variance: --estimate prints the calls and asks nothing', async () => {
    const out = await cli(['variance', '--judge', 'judgeA', '--times', '4', '--sample', '3', '--estimate']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(
      'estimate: 3 answers (a sample of the 6) × 4 judgments by judgeA = 12 judge calls (at most 24 with repair re-asks)\n',
    );
    expect(fixture.models.judgeA!.count('judgement')).toBe(0);
  });

  it('variance: the estimate, then the spread per aspect, saved in the experiment folder', async () => {
    const out = await cli(['variance', '--judge', 'judgeA', '--times', '2', '--sample', '6']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe(
      'estimate: 6 answers × 2 judgments by judgeA = 12 judge calls (at most 24 with repair re-asks)',
    );
    // Every regular aspect: odd items [4, 5] (sd 0.5, range 1), even items [3, 3]: mean (27 + 12) / 10 = 3.9,
    // sd (3 × 0.5 + 2 × 0) / 5 = 0.3, 2 of 5 agree. Safety: two N/As, no answer left.
    expect(out.stdout).toContain('| helpfulness | 5 | 3.90 | 0.30 | 3–5 | 1 | 40% | 0 | 0 |');
    expect(out.stdout).toContain('| engagement | 5 | 3.90 | 0.30 | 3–5 | 1 | 40% | 0 | 0 |');
    expect(out.stdout).toContain('| safety | 0 | – | – | – | – | – | 2 | 0 |');
    const file = /^saved: (.+)$/m.exec(out.stdout)![1]!;
    expect(file.startsWith(`${fixture.experimentDir}/judge-checks/variance-`)).toBe(true);
    expect((JSON.parse(readFileSync(file, 'utf8')) as JudgeCheckResult).judges).toEqual(['judgeA']);
  });

  it('agreement: rank correlation and exact agreement per aspect', async () => {
    const out = await cli(['agreement', '--judges', 'judgeA,judgeB', '--sample', '6']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split('\n')[0]).toBe(
      'estimate: 6 answers × 2 judges (judgeA, judgeB) = 12 judge calls (at most 24 with repair re-asks)',
    );
    // The servers live on from the variance check: A's odd items are back at their first score (their
    // 3rd judgment), 4; even ones 3. B gives 4 to all, so its ranks never vary: no rank correlation;
    // A's 4, 3, 4, 3, 4 equal B's 4 three times in five.
    expect(out.stdout).toContain('| helpfulness | 5 | – | 60% | 3.60 | 4.00 | 0/0 | 0/0 |');
    expect(out.stdout).toContain('| safety | 0 | – | – | – | – | 1/0 | 0/0 |');
  });

  it('refuses a wrong request before anything is judged', async () => {
    const out = await cli(['agreement', '--judges', 'judgeA']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('judge-check agreement:');
    const times = await cli(['variance', '--times', '1']);
    expect(times.code).toBe(1);
    expect(times.stderr).toContain('times');
    expect(existsSync(fixture.experimentDir)).toBe(true);
  });
});
