// drpo-studio: the command line. optimize (system-prompt stage), icl (ICL stage), estimate
// (calls and tokens before anything runs) and export (prompt + ICL set for serving).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { formatDollars } from '../../shared/money.js';
import { createStudioService } from '../api/studioService.js';
import { loadRunConfig } from '../config/runConfig.js';
import { loadAspectCatalog } from '../engine/aspects.js';
import { stageRewardOptions } from '../engine/rewards/stageReward.js';
import type { AspectCatalog } from '../engine/types.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/exportFormats.js';
import { exportRun } from '../export/exportRun.js';
import { ROLES } from '../llm/callLedger.js';
import { PluginRegistry } from '../plugins/pluginRegistry.js';
import { packageRoot } from '../resourcePaths.js';
import { testConnections } from '../runs/connectionTest.js';
import { liveActivity, runActivityKey } from '../runs/liveActivity.js';
import { checkBackendSettings } from '../runs/openBackends.js';
import { roleFitness } from '../runs/roleFitness.js';
import { estimateCost, type RoleCost } from '../runs/runCost.js';
import { estimateRun } from '../runs/runEstimate.js';
import type { IclResult, SystemPromptResult } from '../runs/runResult.js';
import { runStage } from '../runs/runSession.js';
import { createRunFolder, openRunFolder, type RunFolder, readResult, readRunFolder } from '../store/runFolder.js';
import type { RunStage } from '../store/runLog.js';
import { SettingsStore } from '../store/settingsStore.js';
import { serveStudioApi } from '../transports/httpTransport.js';
import { registerAspectCommands } from './aspectCommands.js';
import { addBudgetOptions, type BudgetFlags, budgetFlags } from './budgetFlags.js';
import { registerDetectCommand } from './detectCommand.js';
import { registerExperimentCommands } from './experimentCommands.js';
import { fail, finishedWithFailures } from './fail.js';
import { registerFolderCommands } from './folderCommands.js';
import { resumable } from './interrupt.js';
import { registerJudgeCheckCommand } from './judgeCheckCommand.js';
import { registerModelCommands } from './modelCommands.js';
import { progressDisplay } from './progressDisplay.js';
import { registerTraceCommand } from './traceCommand.js';
import { userDataDirOf, userDataOption } from './userDataOption.js';

const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

interface RunCommandOptions extends BudgetFlags {
  config?: string;
  resume?: string;
  userData?: string;
  selections?: string;
}

async function runCommand(stage: RunStage, options: RunCommandOptions) {
  const userDataDir = userDataDirOf(options);
  if (!options.config && !options.resume) fail('give --config FILE for a new run or --resume DIR to continue one');
  if (options.resume && options.selections)
    fail('--selections applies to a new run (with --config); a resumed run keeps the selections it started with');
  const command = stage === 'icl' ? 'icl' : 'optimize';
  const budget = budgetFlags(options);
  const holder = `drpo-studio ${command}`;
  let folder: RunFolder;
  if (options.resume) {
    const dir = path.resolve(options.resume);
    // Read-only checks first: a refused resume never touches the folder.
    const found = readRunFolder(dir);
    if (found.stage !== stage) fail(`${dir} is a ${found.stage} run; continue it with the matching command`);
    if (readResult(dir)) fail(`${dir} has already finished (result.json exists)`);
    folder = openRunFolder(dir, holder);
  } else {
    const config = loadRunConfig(options.config!);
    if (budget) config.budget = { ...config.budget, ...budget };
    if (options.selections) config.reward.selections = path.resolve(options.selections);
    // A catalog or selections file that cannot be used is refused before the folder is written;
    // the catalog checked is the one the folder records (read once, so no edit can slip between).
    let catalog: AspectCatalog;
    try {
      catalog = loadAspectCatalog(config.reward.aspects);
      stageRewardOptions(config.reward, stage, catalog);
    } catch (error) {
      fail((error as Error).message);
    }
    await checkBackendSettings(config, { userDataDir }).catch((error: Error) => fail(error.message));
    // Refused before the folder is written; its warnings come from the run itself (and reach its log).
    const { refusals } = await roleFitness(config, stage, { userDataDir });
    if (refusals.length > 0) fail(refusals.join('\n'));
    folder = createRunFolder(config, stage, holder, catalog);
  }
  const estimate = estimateRun(folder.config, stage);
  process.stderr.write(`${folder.resumed ? 'resuming' : 'run'} ${folder.dir}\n`);
  const progress = progressDisplay(estimate.planned.judge, command, () => liveActivity(runActivityKey(folder.id)));
  // Why calls were refused for good, in the server's words: the ending names them, not only how many.
  const refusals = new Set<string>();
  await resumable(command, folder.dir, async (signal) => {
    const result = await runStage(folder, {
      signal,
      userDataDir,
      ...(folder.resumed && budget ? { budget } : {}),
      onEvent: (event) => {
        if (event.type === 'node-failed' || event.type === 'proposal-failed') refusals.add(event.error);
        progress.onEvent(event);
      },
      onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
      onNotice: (n) => process.stderr.write(`note: ${n}\n`),
    }).finally(() => progress.stop());
    printSummary(result, folder.dir);
    const nodes = result.failedNodes?.length ?? 0;
    const rewrites = result.failedRewrites?.length ?? 0;
    if (result.status === 'finished-with-failures')
      finishedWithFailures(
        `${nodes} node${nodes === 1 ? '' : 's'} left unjudged and ${rewrites} rewrite${rewrites === 1 ? '' : 's'} not made, their calls refused for good: ${[...refusals].slice(0, 2).join(' / ')} (${path.join(folder.dir, 'result.json')} lists them)`,
      );
  });
}

function printSummary(result: SystemPromptResult | IclResult, dir: string) {
  const out = process.stdout;
  if (result.stage === 'system-prompt') {
    out.write(
      `\nBest system prompt (score ${result.score?.toFixed(2) ?? 'n/a'}, node ${result.bestNodeId}):\n\n${result.bestPrompt}\n\n`,
    );
  } else {
    for (const e of result.examples)
      out.write(`- ${e.query.slice(0, 60)}: ${e.scoreBefore ?? 'n/a'} → ${e.scoreAfter ?? 'n/a'}\n`);
  }
  out.write('role        calls  samples  A.5  repairs  retries  parse-fail  errors  prompt-tok  output-tok\n');
  for (const role of ROLES) {
    const t = result.calls[role];
    out.write(
      `${role.padEnd(10)} ${String(t.calls).padStart(6)} ${String(t.samples).padStart(8)} ${String(result.a5[role]).padStart(4)} ${String(t.repairs).padStart(8)} ${String(t.retries).padStart(8)} ${String(t.parseFailures).padStart(11)} ${String(t.errors).padStart(7)} ${String(t.promptTokens).padStart(11)} ${String(t.completionTokens).padStart(11)}\n`,
    );
  }
  for (const [name, b] of Object.entries(result.backends)) {
    out.write(
      `backend ${name}: ${b.calls} calls, ${b.promptTokens} prompt + ${b.completionTokens} output tokens${b.costUsd > 0 ? `, $${b.costUsd.toFixed(4)}` : ''}\n`,
    );
  }
  out.write(`wall time ${(result.wallMs / 1000).toFixed(1)} s; result: ${path.join(dir, 'result.json')}\n`);
}

const program = new Command('drpo-studio')
  .version(version)
  .description('Dynamic Rewarding with Prompt Optimization: align a model without training it.')
  // Taken out of the arguments before parsing, so it works before or after the command's name.
  .option('--debug', 'print the stack trace with an error');
const debug = process.argv.includes('--debug');

addBudgetOptions(
  program.command('optimize').description('optimize the system prompt (Algorithm 2) and write <run>/result.json'),
)
  .option('-c, --config <file>', 'run config (JSON)')
  .option('--resume <dir>', 'continue a stopped run from its folder')
  .option('--selections <file>', "published aspect selections to import (the reference's metrics_cache.json format)")
  .addOption(userDataOption())
  .action((options: RunCommandOptions) => runCommand('system-prompt', options));

addBudgetOptions(
  program
    .command('icl')
    .description(
      "optimize the ICL examples' answers (Algorithm 1) and write <run>/result.json and <run>/icl-examples.json",
    ),
)
  .option('-c, --config <file>', 'run config (JSON)')
  .option('--resume <dir>', 'continue a stopped run from its folder')
  .option('--selections <file>', "published aspect selections to import (the reference's metrics_cache.json format)")
  .addOption(userDataOption())
  .action((options: RunCommandOptions) => runCommand('icl', options));

program
  .command('estimate')
  .description('calls and tokens per role before anything runs: appendix A.5, the plan, the worst case')
  .requiredOption('-c, --config <file>', 'run config (JSON)')
  .addOption(new Option('--stage <stage>', 'which stage').choices(['system-prompt', 'icl']).default('system-prompt'))
  .option('--json', 'print JSON')
  .addOption(userDataOption())
  .action(async (options: { config: string; stage: RunStage; json?: boolean; userData?: string }) => {
    const config = loadRunConfig(options.config);
    const estimate = estimateRun(config, options.stage);
    const cost = await estimateCost(config, estimate, { userDataDir: userDataDirOf(options) });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...estimate, cost }, null, 2)}\n`);
      return;
    }
    const { levels } = estimate;
    const growth =
      levels.worstCase > levels.planned
        ? `, up to ${levels.worstCase} with depth extension${config.search.callBudget === 'a5' ? ' while A.5 covers it' : ''}`
        : '';
    process.stdout.write(
      `${options.stage} stage: ${levels.planned} levels (the root's included)${growth}\n` +
        'role        A.5 calls  planned  worst case  prompt tokens  output tokens (worst case, upper bound)  dollars (planned prompts … worst case)\n',
    );
    const cell = (value: number, width: number) => String(value).padStart(width);
    const dollars = ({ dollars, noPrice }: RoleCost) =>
      dollars ? `${formatDollars(dollars.from)} … ${formatDollars(dollars.upTo)}` : noPrice!;
    for (const role of ROLES) {
      process.stdout.write(
        `${role.padEnd(10)} ${cell(estimate.a5[role], 10)} ${cell(estimate.planned[role], 8)} ${cell(estimate.worstCase[role], 11)} ${cell(estimate.tokens[role].prompt, 14)} ${cell(estimate.tokens[role].completion, 14)}  ${dollars(cost[role])}\n`,
      );
    }
    const priced = ROLES.flatMap((role) => cost[role].dollars ?? []);
    if (priced.length > 0)
      process.stdout.write(
        `total      ${formatDollars(priced.reduce((s, d) => s + d.from, 0))} … ${formatDollars(priced.reduce((s, d) => s + d.upTo, 0))}${priced.length < ROLES.length ? ' (roles without a price left out)' : ''}\n`,
      );
  });

program
  .command('export')
  .description("export a finished run's prompt and ICL set")
  .requiredOption('--run <dir>', 'a finished run folder')
  .addOption(new Option('-f, --format <format>', 'output format').choices([...EXPORT_FORMATS]).default('text'))
  .option('--model <name>', "model for the Modelfile FROM line (default: the base backend's model file)")
  .option('--icl <file>', 'ICL examples to ship (default: those the run used or produced)')
  .option('--examples <n>', 'ship only the first n examples', (v) => Number.parseInt(v, 10))
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .addOption(userDataOption())
  .action(
    async (options: {
      run: string;
      format: ExportFormat;
      model?: string;
      icl?: string;
      examples?: number;
      out?: string;
      userData?: string;
    }) => {
      const text = await exportRun(
        readRunFolder(path.resolve(options.run)),
        options.format,
        {
          model: options.model,
          iclFile: options.icl ? path.resolve(options.icl) : undefined,
          examples: options.examples,
        },
        { userDataDir: userDataDirOf(options) },
      );
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    },
  );

const plugins = program
  .command('plugins')
  .description('backend plugins: built-in, and user plugins in <user data>/plugins');
plugins
  .command('list')
  .addOption(userDataOption())
  .action(async (options: { userData?: string }) => {
    const { registry } = await openPlugins(options);
    for (const p of registry.discover()) {
      const state = p.error ? `unusable: ${p.error}` : p.enabled ? 'enabled' : 'disabled';
      process.stdout.write(
        `${p.id.padEnd(16)} ${p.source.padEnd(8)} ${p.manifest?.version ?? ''.padEnd(6)}  ${state}\n`,
      );
    }
  });
for (const [verb, enable] of [
  ['enable', true],
  ['disable', false],
] as const) {
  plugins
    .command(`${verb} <id>`)
    .addOption(userDataOption())
    .action(async (id: string, options: { userData?: string }) => {
      const { registry, store } = await openPlugins(options);
      const listing = registry.discover().find((p) => p.id === id && p.source === 'user');
      if (!listing) fail(`no user plugin "${id}" in ${path.dirname(store.file)}/plugins`);
      if (enable && listing.error) fail(listing.error);
      await store.update((s) => {
        s.enabledPlugins = s.enabledPlugins.filter((p) => p !== id);
        if (enable) s.enabledPlugins.push(id);
      });
      process.stdout.write(`${id} ${enable ? 'enabled' : 'disabled'}\n`);
    });
}

program
  .command('test-connections')
  .description('test every backend of a run config: reachable, key, model, what the server really does, role fitness')
  .requiredOption('-c, --config <file>', 'run config (JSON)')
  .addOption(userDataOption())
  .action(async (options: { config: string; userData?: string }) => {
    const checks = await testConnections(loadRunConfig(options.config), { userDataDir: userDataDirOf(options) });
    for (const check of checks) process.stdout.write(`${check.ok ? 'ok' : 'FAILED'} ${check.line}\n`);
    if (checks.some((c) => !c.ok)) process.exit(1);
  });

program
  .command('serve')
  .description('serve the studio to a browser on 127.0.0.1 (browser mode, for headless machines)')
  .option('--port <port>', 'port (default: any free one)', (v) => Number.parseInt(v, 10))
  .addOption(userDataOption())
  .action(async (options: { port?: number; userData?: string }) => {
    const service = createStudioService({ userDataDir: userDataDirOf(options) });
    const staticDir = path.join(packageRoot, 'out', 'renderer');
    const server = await serveStudioApi(service.api, {
      port: options.port,
      staticDir: existsSync(staticDir) ? staticDir : undefined,
    });
    // The token travels in the fragment, which browsers never send to a server or a log.
    process.stdout.write(`DRPO Studio (browser mode): ${server.url}/#token=${server.token}\n`);
    if (!existsSync(staticDir))
      process.stdout.write('(the UI is not built: run `npm run build:electron`; the API is served)\n');
    const stop = async () => {
      await service.close();
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

async function openPlugins(options: { userData?: string }) {
  const dir = userDataDirOf(options);
  const store = await SettingsStore.open(dir);
  return {
    store,
    registry: new PluginRegistry({ userPluginsDir: path.join(dir, 'plugins'), enabled: store.data.enabledPlugins }),
  };
}

registerDetectCommand(program);
registerExperimentCommands(program);
registerFolderCommands(program);
registerTraceCommand(program);
registerModelCommands(program);
registerJudgeCheckCommand(program);
registerAspectCommands(program);

try {
  await program.parseAsync(process.argv.filter((arg) => arg !== '--debug'));
} catch (error) {
  // One line naming what failed (readers name the file, and the line where they can); the stack only on request.
  if (debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  fail((error as Error)?.message ?? String(error));
}
