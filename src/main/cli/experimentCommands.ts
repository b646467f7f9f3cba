// drpo-studio eval | transfer | ablate | eval-set fetch: experiments from the command line. `eval`
// and `transfer` run the same experiment; they differ in the table they print first. `ablate`
// runs the paper's ablations (search, rewarding, removals) and evaluates them side by side.
import path from 'node:path';
import type { Command } from 'commander';
import type { ExperimentResult } from '../../shared/experimentTypes.js';
import { type AblationFolder, createAblationFolder, openAblationFolder, runAblation } from '../experiments/ablation.js';
import { fetchEvalSet, JUST_EVAL_URL } from '../experiments/evalSet.js';
import { loadExperimentConfig } from '../experiments/experimentConfig.js';
import {
  createExperimentFolder,
  type ExperimentFolder,
  openExperimentFolder,
} from '../experiments/experimentFolder.js';
import { runExperiment } from '../experiments/experimentSession.js';
import type { JudgeProtocol } from '../experiments/judgeProtocol.js';
import {
  downloadJustEvalTemplates,
  JUST_EVAL_TEMPLATES_URL,
  writeJustEvalTemplates,
} from '../experiments/justEvalTemplates.js';
import { aspectTable, justEvalAspectTable, type Table, toMarkdown, transferTable } from '../experiments/tables.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { readResult } from '../store/runFolder.js';
import type { RunEvent } from '../store/runLog.js';
import { addBudgetOptions, type BudgetFlags, budgetFlags } from './budgetFlags.js';
import { downloadLines } from './downloadProgress.js';
import { fail, finishedWithFailures } from './fail.js';
import { resumable } from './interrupt.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

interface ExperimentOptions extends BudgetFlags {
  config?: string;
  resume?: string;
  sample?: number;
  seed?: number;
  split?: 'all' | 'regular' | 'safety';
  userData?: string;
}

/** One line per tenth of the judgments (a terminal or a log alike); every ten when the total is unknown. */
function judgmentProgress(total?: number) {
  let done = 0;
  let step = 0;
  return (event: RunEvent) => {
    if (event.type !== 'eval-judged' && event.type !== 'eval-unjudged') return;
    done += 1;
    const now = total ? Math.floor((done * 10) / total) : Math.floor(done / 10);
    if (now > step || done === total) {
      step = now;
      process.stderr.write(`judged ${done}${total ? `/${total}` : ''}\n`);
    }
  };
}

async function experimentCommand(
  command: 'eval' | 'transfer',
  options: ExperimentOptions,
  firstTables: (r: ExperimentResult) => Table[],
) {
  if (!options.config && !options.resume)
    fail('give --config FILE for a new experiment or --resume DIR to continue one');
  const userDataDir = userDataDirOf(options);
  const budget = budgetFlags(options);
  let folder: ExperimentFolder;
  try {
    if (options.resume) {
      const dir = path.resolve(options.resume);
      if (readResult(dir)) fail(`${dir} has already finished (result.json exists)`);
      folder = openExperimentFolder(dir, `drpo-studio ${command}`);
    } else {
      const config = loadExperimentConfig(options.config!);
      if (budget) config.budget = { ...config.budget, ...budget };
      if (options.split) config.evalSet.split = options.split;
      if (options.sample !== undefined)
        config.evalSet.sample = { size: options.sample, seed: options.seed ?? config.evalSet.sample?.seed ?? 0 };
      await checkBackendSettings(config, { userDataDir });
      folder = createExperimentFolder(config, `drpo-studio ${command}`, userDataDir);
    }
  } catch (error) {
    fail((error as Error).message);
  }
  const total = folder.items.length * folder.setups.length * folder.config.targets.length;
  process.stderr.write(`${folder.resumed ? 'resuming' : 'experiment'} ${folder.dir}\n`);
  process.stderr.write(
    `${folder.items.length} items × ${folder.setups.length} setups × ${folder.config.targets.length} targets = ${total} answers to judge\n`,
  );
  process.stderr.write(`judge protocol: ${protocolLine(folder.judgeProtocol)}\n`);
  const judged = judgmentProgress(total);
  const downloads = downloadLines(command);
  await resumable(command, folder.dir, async (signal) => {
    const result = await runExperiment(folder, {
      signal,
      userDataDir,
      ...(folder.resumed && budget ? { budget } : {}),
      onEvent: (event) => {
        judged(event);
        downloads(event);
      },
      onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
      onNotice: (n) => process.stderr.write(`note: ${n}\n`),
    });
    for (const table of firstTables(result)) process.stdout.write(`\n${toMarkdown(table)}`);
    const unjudged = result.cells.reduce((s, c) => s + c.unjudged, 0);
    if (unjudged > 0)
      process.stdout.write(
        `\n${unjudged} answers could not be judged (the judge's reply was unusable); they are counted apart, not scored.\n`,
      );
    process.stdout.write(
      `\nwall time ${(result.wallMs / 1000).toFixed(1)} s; tables (Markdown, CSV): ${path.join(folder.dir, 'tables')}; JSON: ${path.join(folder.dir, 'result.json')}\n`,
    );
    reportFailures(result, folder.dir);
  });
}

function protocolLine(judge: JudgeProtocol): string {
  if (judge.protocol === 'drpo-studio') return "drpo-studio (the project's own prompts)";
  return `just-eval (templates ${judge.templates.regular.file}, ${judge.templates.safety.file})`;
}

/** An experiment that finished with failures says so, and the command ends with status 3. */
function reportFailures(result: ExperimentResult, dir: string): void {
  const failed = result.failures?.length ?? 0;
  if (failed > 0)
    finishedWithFailures(
      `${failed} answer${failed === 1 ? '' : 's'} left without a score, their calls refused for good (${path.join(dir, 'result.json')} lists them)`,
    );
}

export function registerExperimentCommands(program: Command): void {
  const withExperimentOptions = (command: Command) =>
    addBudgetOptions(command)
      .option('-c, --config <file>', 'experiment config (JSON)')
      .option('--resume <dir>', 'continue a stopped experiment from its folder')
      .option('--sample <n>', 'judge a seeded sample of n items', (v) => Number.parseInt(v, 10))
      .option('--seed <n>', 'seed of the sample', (v) => Number.parseInt(v, 10))
      .option('--split <split>', 'all | regular | safety')
      .addOption(userDataOption());

  withExperimentOptions(
    program
      .command('eval')
      .description('evaluate setups on target models (just-eval-instruct style) and write the tables'),
  ).action((options: ExperimentOptions) =>
    experimentCommand('eval', options, (r) => [aspectTable(r), justEvalAspectTable(r)]),
  );
  withExperimentOptions(
    program.command('transfer').description('setups × target models: the transfer matrix and the per-aspect table'),
  ).action((options: ExperimentOptions) =>
    experimentCommand('transfer', options, (r) => [transferTable(r), aspectTable(r)]),
  );

  program
    .command('ablate')
    .description(
      "the paper's ablations: beam / greedy / Monte Carlo search and static rewarding on the same budget, then evaluated side by side with the prompt or the ICL examples removed",
    )
    .option('-c, --config <file>', 'ablation config (JSON)')
    .option('--resume <dir>', 'continue a stopped ablation from its folder')
    .addOption(userDataOption())
    .action(async (options: { config?: string; resume?: string; userData?: string }) => {
      const userDataDir = userDataDirOf(options);
      if (!options.config && !options.resume)
        fail('give --config FILE for a new ablation or --resume DIR to continue one');
      let folder: AblationFolder;
      try {
        folder = options.resume
          ? openAblationFolder(path.resolve(options.resume), 'drpo-studio ablate')
          : await createAblationFolder(options.config!, 'drpo-studio ablate', userDataDir);
      } catch (error) {
        fail((error as Error).message);
      }
      process.stderr.write(`ablation ${folder.dir}\n`);
      const ablation = folder;
      await resumable('ablate', folder.dir, async (signal) => {
        const result = await runAblation(ablation, {
          signal,
          onStep: (step) => process.stderr.write(`${step}\n`),
          userDataDir,
          run: {
            onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
            onNotice: (n) => process.stderr.write(`note: ${n}\n`),
          },
          experiment: {
            onEvent: judgmentProgress(),
            onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
            onNotice: (n) => process.stderr.write(`note: ${n}\n`),
          },
        });
        process.stdout.write(
          `\n${toMarkdown(aspectTable(result))}\ntables: ${path.join(ablation.state.experiment!, 'tables')}\n`,
        );
        reportFailures(result, ablation.state.experiment!);
      });
    });

  program
    .command('eval-set')
    .description('evaluation sets')
    .command('fetch')
    .description(
      'download just-eval-instruct and its two judge templates from their public source (needs internet); the templates go to <user data>/just-eval/, where experiments find them',
    )
    .requiredOption('-o, --out <file>', 'where to write the evaluation set')
    .option('--url <url>', 'source of the evaluation set', JUST_EVAL_URL)
    .option(
      '--templates-url <url>',
      "folder holding just-eval's _MULTI_SCORE_TEMPLATE.py and _SAFETY_SCORE_TEMPLATE.py",
      JUST_EVAL_TEMPLATES_URL,
    )
    .addOption(userDataOption())
    .action(async (options: { out: string; url: string; templatesUrl: string; userData?: string }) => {
      try {
        // Everything is downloaded and checked before anything is written.
        const templates = await downloadJustEvalTemplates(options.templatesUrl);
        const count = await fetchEvalSet(path.resolve(options.out), options.url);
        process.stdout.write(`${count} items written to ${options.out}\n`);
        const files = writeJustEvalTemplates(userDataDirOf(options), templates);
        process.stdout.write(`just-eval's judge templates written to ${files.join(', ')}\n`);
      } catch (error) {
        fail((error as Error).message);
      }
    });
}
