// drpo-studio aspects try | export | import (README "Trying criteria on a query"). `try` prints the
// estimate, then the selection with its reasoning, each aspect's score and rationale, the reward
// and what it spent; it exits 1 when it could not judge (an unusable judge reply, a call that
// failed) and 2 on bad arguments. `export` prints the user's catalog; `import` checks a catalog
// file as the studio's save does and writes it atomically.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AspectTryCost, AspectTryEstimate, AspectTryRequest, AspectTryResult } from '../../shared/aspectTry.js';
import { formatDollars } from '../../shared/money.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { createStudioService } from '../api/studioService.js';
import { parseCatalogText } from '../aspectTry/catalogFiles.js';
import { runTry } from '../aspectTry/runTry.js';
import { planTry } from '../aspectTry/tryPlan.js';
import { catalogText } from '../engine/aspects.js';
import { writeFileAtomic } from '../store/privateFiles.js';
import { EXIT, fail } from './fail.js';
import { onInterrupt } from './interrupt.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

interface TryOptions {
  query: string;
  answer?: string;
  generate?: string;
  systemPrompt: string;
  aspects?: string;
  selector?: string;
  judge?: string;
  catalog?: string;
  json?: boolean;
  userData?: string;
}

/** Arguments a try cannot use: exit status 2. */
const badArguments = (message: string): never => fail(message, EXIT.usage);

/** A file an argument names; one that cannot be read is a bad argument. */
function argumentFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return badArguments(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The studio's own service (the user's catalog read and checked as the studio does), closed after. */
async function withService<T>(
  options: { userData?: string },
  use: (api: ReturnType<typeof createStudioService>['api']) => Promise<T>,
) {
  const service = createStudioService({ userDataDir: userDataDirOf(options) });
  try {
    return await use(service.api);
  } finally {
    await service.close();
  }
}

const costLine = (cost: AspectTryCost) =>
  `${cost.promptTokens.toLocaleString('en-US')} prompt + ${cost.completionTokens.toLocaleString('en-US')} output tokens, ${cost.costUsd === null ? 'no price' : formatDollars(cost.costUsd)}`;

const estimateLine = (e: AspectTryEstimate) =>
  `estimate: ${e.calls} call${e.calls === 1 ? '' : 's'} (${e.steps.join(', ')}; at most ${e.worstCase} with repair re-asks), at most ${costLine(e)}`;

function printResult(result: AspectTryResult, generated: boolean) {
  const out = process.stdout;
  if (generated) out.write(`answer: ${result.answer}\n`);
  const { selection, judgement } = result;
  out.write(`selection (${selection.source}): ${selection.aspects.join(', ')}\n  reasoning: ${selection.reasoning}\n`);
  if (judgement.ok) {
    for (const { aspect, score, rationale } of judgement.scores)
      out.write(`${aspect}: ${score ?? 'N/A'} — ${rationale}\n`);
    out.write(`reward: ${judgement.reward.toFixed(2)}\n`);
  } else out.write(`judgement: ${judgement.error}\n`);
  out.write(`spent: ${result.cost.calls} call${result.cost.calls === 1 ? '' : 's'}, ${costLine(result.cost)}\n`);
}

async function tryCommand(options: TryOptions) {
  const userDataDir = userDataDirOf(options);
  if ((options.answer === undefined) === (options.generate === undefined))
    badArguments('give the answer to judge: --answer TEXT, or --generate CONNECTION (with --system-prompt)');
  const { catalog, defaults } = await withService(options, async (api) => ({
    catalog: options.catalog ? undefined : await api.aspects.get(),
    defaults: await api.aspects.tryDefaults(),
  }));
  const ticked = options.aspects
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const judge = options.judge ?? defaults.judge;
  if (!judge) badArguments('no judge connection: give --judge NAME (no earlier run used saved connections)');
  const request: AspectTryRequest = {
    catalog: options.catalog ? parseCatalogText(argumentFile(options.catalog), options.catalog) : catalog!,
    query: options.query,
    answer:
      options.answer !== undefined
        ? { text: options.answer }
        : { generate: { connection: options.generate!, systemPrompt: options.systemPrompt } },
    ...(ticked?.length ? { aspects: ticked } : {}),
    ...((options.selector ?? defaults.selector) ? { selector: options.selector ?? defaults.selector } : {}),
    judge: judge!,
  };
  const plan = await planTry(request, userDataDir);
  if (!options.json) process.stdout.write(`${estimateLine(plan.estimate)}\n`);
  const interrupt = onInterrupt('cancelling the try…');
  try {
    const result = await runTry(plan, {
      userDataDir,
      signal: interrupt.signal,
      onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
    });
    if (options.json) process.stdout.write(`${JSON.stringify({ estimate: plan.estimate, result }, null, 2)}\n`);
    else printResult(result, options.generate !== undefined);
    if (!result.judgement.ok) process.exitCode = EXIT.error;
  } catch (error) {
    if (interrupt.signal.aborted) fail('try cancelled', EXIT.cancelled);
    throw error;
  } finally {
    interrupt.release();
  }
}

/** An invalid-argument error (a catalog, a connection, an aspect the try cannot use) exits 2; anything else 1. */
const asBadArguments = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    if (error instanceof StudioApiError && error.code === 'invalid-argument') badArguments(error.message);
    throw error;
  }
};

export function registerAspectCommands(program: Command): void {
  const command = program
    .command('aspects')
    .description('the reward aspect catalog: try it on a query, export it, import one');
  // Commander's own argument errors (an unknown option, a missing value) are bad arguments too.
  const usage = (sub: Command) =>
    sub.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage)).addOption(userDataOption());
  usage(
    command
      .command('try')
      .description(
        "select and judge one answer with the catalog: the selector's pick and reasoning, each score, the reward",
      )
      .requiredOption('--query <text>', 'the query')
      .option('--answer <text>', 'the answer to judge')
      .option('--generate <connection>', 'generate the answer with this saved connection instead')
      .option('--system-prompt <text>', 'the system prompt the answer is generated under', '')
      .option('--aspects <a,b>', 'judge these aspects (the selector is not asked)')
      .option('--selector <connection>', "the selector's saved connection (default: the last run's)")
      .option('--judge <connection>', "the judge's saved connection (default: the last run's)")
      .option('--catalog <file>', "a catalog file to try (default: the user's catalog)")
      .option('--json', 'print the estimate and the result as JSON'),
  ).action((options: TryOptions) => asBadArguments(() => tryCommand(options))());
  usage(
    command.command('export').description("print the user's catalog (or write it to FILE)").argument('[file]'),
  ).action((file: string | undefined, options: { userData?: string }) =>
    withService(options, async (api) => {
      const text = catalogText(await api.aspects.get());
      if (file) writeFileAtomic(file, text);
      else process.stdout.write(text);
    }),
  );
  usage(
    command
      .command('import')
      .description("check a catalog file as the studio's editor does and make it the user's")
      .argument('<file>'),
  ).action((file: string, options: { userData?: string }) =>
    asBadArguments(() =>
      withService(options, async (api) => {
        await api.aspects.save(await api.aspects.parse(argumentFile(file)));
        process.stderr.write(`imported ${file}\n`);
      }),
    )(),
  );
}
