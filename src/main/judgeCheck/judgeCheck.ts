// The judge checks (README "Can the judge be trusted?"): a seeded sample of a finished
// experiment's answers, judged again with the experiment's own judge protocol and settings —
// N times by one judge (variance) or once by each of two judges (agreement) — and the result saved
// as <experiment>/judge-checks/<kind>-<time>.json with every reply, so it can be read again.
// A check is small (sample × times calls) and is not resumed: a stopped one is simply run again.
// Each round judges through a cache of its own, so the N rounds of a judge at temperature 0 each
// reach the server (the spread measured is the judge's own, not the cache's).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { asModelCallError } from '../../plugins/contract.js';
import type { JudgeCheckSpec } from '../../shared/judgeCheckRequest.js';
import type { CheckedAnswer, JudgeCheckEstimate, JudgeCheckResult, JudgeReply } from '../../shared/judgeCheckTypes.js';
import { backendSchema } from '../../shared/runConfigSchema.js';
import { shuffled } from '../data/dataFiles.js';
import { evalAspects, judgeForEvaluation } from '../experiments/evalJudge.js';
import { type ExperimentFolderInfo, readExperimentFolder } from '../experiments/experimentFolder.js';
import { CallCache } from '../llm/callCache.js';
import { CallLedger } from '../llm/callLedger.js';
import { RoleClient } from '../llm/roleClient.js';
import { type BackendHost, openNamedBackends } from '../runs/openBackends.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { agreementStats, varianceStats } from './judgeStats.js';

/** A line of judgements.jsonl, as much of it as a check reads. */
const recordSchema = z.object({
  setup: z.string(),
  target: z.string(),
  itemId: z.string(),
  split: z.enum(['regular', 'safety']),
  answer: z.string(),
});

type SampledAnswer = CheckedAnswer & { answer: string; instruction: string };

export interface JudgeCheckPlan {
  folder: ExperimentFolderInfo;
  spec: JudgeCheckSpec;
  answers: SampledAnswer[];
  estimate: JudgeCheckEstimate;
}

function readAnswers(folder: ExperimentFolderInfo): z.infer<typeof recordSchema>[] {
  const file = path.join(folder.dir, 'judgements.jsonl');
  if (!existsSync(path.join(folder.dir, 'result.json')) || !existsSync(file))
    throw new Error(`experiment ${folder.id} has not finished: a judge check needs its answers (judgements.jsonl)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (!line.trim()) return [];
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not JSON`);
      }
      const parsed = recordSchema.safeParse(value);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: not a judged answer`);
      return [parsed.data];
    });
}

/** The answers a check judges and what it will cost; reads the folder, calls nothing. */
export function planJudgeCheck(dir: string, spec: JudgeCheckSpec): JudgeCheckPlan {
  const folder = readExperimentFolder(dir);
  const all = readAnswers(folder);
  const instructions = new Map(folder.items.map((item) => [item.id, item.instruction]));
  // A seeded sample, kept in the file's order (setup × target × item).
  const chosen = new Set(shuffled(all, spec.seed).slice(0, spec.sample));
  const answers = all
    .filter((record) => chosen.has(record))
    .map((record) => {
      const instruction = instructions.get(record.itemId);
      if (instruction === undefined) throw new Error(`${dir}: answer to item ${record.itemId}, not in items.json`);
      return { ...record, instruction };
    });
  const judges = spec.kind === 'variance' ? [spec.judge ?? folder.config.judge.backend] : [...spec.judges];
  const calls = answers.length * (spec.kind === 'variance' ? spec.times : 2);
  return {
    folder,
    spec,
    answers,
    estimate: { answers: answers.length, available: all.length, calls, worstCase: calls * 2, judges },
  };
}

export interface JudgeCheckOptions extends BackendHost {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

export async function runJudgeCheck(plan: JudgeCheckPlan, options: JudgeCheckOptions = {}): Promise<JudgeCheckResult> {
  const { folder, spec, answers, estimate } = plan;
  const { config, judgeProtocol } = folder;
  const judges = estimate.judges;
  // A judge is a backend of the experiment's config, else a saved connection of that name.
  const backends = { ...config.backends };
  for (const name of judges)
    if (!Object.hasOwn(backends, name)) backends[name] = backendSchema.parse({ connection: name });
  const opened = await openNamedBackends({ backends, baseDir: config.baseDir }, judges, {
    ...options,
    consumer: `judge-check:${folder.id}`,
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  try {
    if (options.onWarning) opened.onWarning(options.onWarning);
    const rounds = spec.kind === 'variance' ? spec.times : 1;
    const ledgers = judges.map(() => new CallLedger());
    let done = 0;
    options.onProgress?.(0, estimate.calls);
    const judgeRound = (j: number) => {
      const client = new RoleClient(
        'judge',
        opened.byName.get(judges[j]!)!,
        { temperature: 0, maxTokens: config.judge.maxTokens },
        { cache: new CallCache(), ledger: ledgers[j]!, emit: () => {} },
      );
      return Promise.all(
        answers.map(async (answer): Promise<JudgeReply> => {
          try {
            const outcome = await judgeForEvaluation(client, answer, answer.answer, {
              protocol: judgeProtocol,
              promptsDir: config.promptsDir,
              reasonMaxChars: config.judge.reasonMaxChars,
              allowNotApplicable: config.judge.allowNotApplicable,
              signal: controller.signal,
            });
            return outcome.ok ? { scores: outcome.judgment.scores } : { error: outcome.error };
          } catch (error) {
            // A call that failed for good ends the check: its figures would leave answers out unsaid.
            controller.abort();
            throw asModelCallError(error) ?? error;
          } finally {
            options.onProgress?.(++done, estimate.calls);
          }
        }),
      );
    };
    const replies = await Promise.all(
      judges.map((_, j) => Promise.all(Array.from({ length: rounds }, () => judgeRound(j)))),
    );
    const scored = answers.map((answer, i) => ({
      aspects: evalAspects(answer.split),
      replies: spec.kind === 'variance' ? replies[0]!.map((round) => round[i]!) : replies.map((judge) => judge[0]![i]!),
    }));
    const createdAt = new Date().toISOString();
    const dir = path.join(folder.dir, 'judge-checks');
    const file = path.join(dir, `${spec.kind}-${createdAt.replace(/[:.]/g, '-')}.json`);
    const result: JudgeCheckResult = {
      kind: spec.kind,
      experiment: folder.id,
      judges,
      ...(spec.kind === 'variance' ? { times: spec.times } : {}),
      sample: spec.sample,
      seed: spec.seed,
      protocol: judgeProtocol.protocol,
      answers: answers.map(({ setup, target, itemId, split }) => ({ setup, target, itemId, split })),
      replies,
      ...(spec.kind === 'variance' ? { variance: varianceStats(scored) } : { agreement: agreementStats(scored) }),
      cost: judges.map((judge, j) => {
        const tally = ledgers[j]!.roles.judge;
        return {
          judge,
          calls: tally.calls + tally.repairs,
          promptTokens: tally.promptTokens,
          completionTokens: tally.completionTokens,
          costUsd: tally.costUsd,
        };
      }),
      createdAt,
      file,
    };
    makePrivateDir(dir);
    writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await opened.dispose();
  }
}
