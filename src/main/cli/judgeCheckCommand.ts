// drpo-studio judge-check variance | agreement: can the judge be trusted? (README "Can the judge
// be trusted?"). Each prints the call estimate first (--estimate stops there), then a table per
// aspect; the result, every reply included, is saved in <experiment>/judge-checks/.
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { type JudgeCheckSpec, judgeCheckSpecSchema } from '../../shared/judgeCheckRequest.js';
import { estimateLine, judgeCheckTable } from '../../shared/judgeCheckTable.js';
import { toMarkdown } from '../experiments/tables.js';
import { planJudgeCheck, runJudgeCheck } from '../judgeCheck/judgeCheck.js';
import { EXIT, fail } from './fail.js';
import { onInterrupt } from './interrupt.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

interface CheckOptions {
  experiment: string;
  judge?: string;
  judges?: string;
  times?: string;
  sample?: string;
  seed?: string;
  estimate?: boolean;
  json?: boolean;
  userData?: string;
}

const whole = (value: string | undefined) => (value === undefined ? undefined : Number(value));

function specOf(kind: JudgeCheckSpec['kind'], options: CheckOptions): JudgeCheckSpec {
  const parsed = judgeCheckSpecSchema.safeParse({
    kind,
    sample: whole(options.sample),
    seed: whole(options.seed),
    ...(kind === 'variance'
      ? { judge: options.judge, times: whole(options.times) }
      : { judges: options.judges?.split(',').map((j) => j.trim()) }),
  });
  if (!parsed.success) fail(`judge-check ${kind}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function judgeCheck(kind: JudgeCheckSpec['kind'], options: CheckOptions) {
  const spec = specOf(kind, options);
  const plan = planJudgeCheck(path.resolve(options.experiment), spec);
  const line = estimateLine(kind, plan.estimate, spec.kind === 'variance' ? spec.times : undefined);
  if (options.estimate) {
    process.stdout.write(options.json ? `${JSON.stringify(plan.estimate, null, 2)}\n` : `estimate: ${line}\n`);
    return;
  }
  if (!options.json) process.stdout.write(`estimate: ${line}\n`);
  const interrupt = onInterrupt('cancelling the judge check…');
  try {
    const result = await runJudgeCheck(plan, {
      userDataDir: userDataDirOf(options),
      signal: interrupt.signal,
      onProgress: (done, total) => process.stderr.write(`\rjudged ${done}/${total}`),
      onWarning: (w) => process.stderr.write(`\nwarning: ${w}\n`),
    });
    process.stderr.write('\n');
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`\n${toMarkdown(judgeCheckTable(result))}\nsaved: ${result.file}\n`);
  } catch (error) {
    // Nothing is kept of a stopped check: it is small, and simply run again.
    if (interrupt.signal.aborted) fail('judge check cancelled (nothing saved)', EXIT.cancelled);
    throw error;
  } finally {
    interrupt.release();
  }
}

export function registerJudgeCheckCommand(program: Command): void {
  const command = program
    .command('judge-check')
    .description(
      "can the judge be trusted? re-judge a finished experiment's answers: spread, or two judges' agreement",
    );
  const common = (sub: Command) =>
    sub
      .requiredOption('--experiment <dir>', 'a finished experiment folder (its answers are judged again)')
      .option('--sample <k>', 'answers to judge, a seeded sample (default 10)')
      .option('--seed <n>', 'seed of the sample (default 0)')
      .option('--estimate', 'print the calls it would make and stop')
      .option('--json', 'print JSON')
      .addOption(userDataOption());
  common(
    command
      .command('variance')
      .description("judge each answer N times with one judge: each aspect's score spread")
      .option('--judge <name>', "a backend of the experiment or a saved connection (default: the experiment's judge)")
      .option('--times <n>', 'judgments per answer (default 3)'),
  ).action((options: CheckOptions) => judgeCheck('variance', options));
  common(
    command
      .command('agreement')
      .description('judge each answer with two judges: rank correlation and exact agreement per aspect')
      .requiredOption('--judges <a,b>', 'two judges: backends of the experiment or saved connections'),
  ).action((options: CheckOptions) => judgeCheck('agreement', options));
}
