// Runs one stage of a run folder to the end: opens the backends, rebuilds the cache and the
// accounting from the log (so a resumed run re-pays no finished call), runs the search and
// writes result.json. The CLI and the studio both start runs through here. The session holds the
// folder's lock to its end, whatever the end, and then lets it go.
import path from 'node:path';
import { ModelCallError } from '../../plugins/contract.js';
import { type Budget, formatDollars } from '../../shared/money.js';
import { stageSampling } from '../config/runConfig.js';
import { loadAspectCatalog } from '../engine/aspects.js';
import { a5IclCalls, a5SystemPromptCalls, plannedIclCalls, plannedSystemPromptCalls } from '../engine/costEstimate.js';
import type { EngineEvent } from '../engine/events.js';
import { optimizeIclExamples } from '../engine/iclStage.js';
import { DynamicReward } from '../engine/rewards/dynamicReward.js';
import { stageRewardOptions } from '../engine/rewards/stageReward.js';
import { LevelUnfinishedError, RepliesUnusableError } from '../engine/search/levelFailures.js';
import { nodeScore } from '../engine/search/searchNode.js';
import { iclPlan, systemPromptPlan } from '../engine/search/searchPlan.js';
import { optimizeSystemPrompt } from '../engine/systemPromptStage.js';
import { CallCache } from '../llm/callCache.js';
import { CallLedger, ROLES, type Role } from '../llm/callLedger.js';
import { restoreCalls } from '../llm/callReplay.js';
import { RoleClient } from '../llm/roleClient.js';
import type { SecretSource } from '../plugins/pluginSettings.js';
import { writeFileAtomic } from '../store/privateFiles.js';
import { type RunFolder, writeResult } from '../store/runFolder.js';
import type { LoggedEvent, RunEvent } from '../store/runLog.js';
import { OutageTracker, RunPausedError } from './backendOutage.js';
import { createRetriever, downloadEvents } from './createRetriever.js';
import { type ActivityWatch, runActivityKey, watchActivity } from './liveActivity.js';
import { openBackends } from './openBackends.js';
import { roleFitness } from './roleFitness.js';
import { budgetInForce, ledgerSpend, SpendGate } from './runBudget.js';
import { loadRunData } from './runData.js';
import { runPacePlan } from './runPace.js';
import { runPromptFormat } from './runPromptFormat.js';
import {
  ICL_EXAMPLES_FILE,
  type IclResult,
  type RunAccounting,
  runEnding,
  type SystemPromptResult,
} from './runResult.js';

export interface RunOptions {
  signal?: AbortSignal;
  /** Every event the run emits, replays of a resumed run included. */
  onEvent?: (event: RunEvent) => void;
  /** Each event as written to the log (with its seq), replays left out. */
  onLogged?: (event: LoggedEvent) => void;
  onWarning?: (message: string) => void;
  /** Information, once per run: a plugin's workaround of its server's quirks. */
  onNotice?: (message: string) => void;
  /** The desktop app's key store, for "store:NAME" secrets. */
  secrets?: SecretSource;
  /** The host's user-data folder (settings, user plugins); default $DRPO_STUDIO_HOME or ~/.drpo-studio. */
  userDataDir?: string;
  /** A resume's new budget, in force from now on (logged with the resume): how a run paused on its budget goes on. */
  budget?: Budget;
}

const STAGE_ROLES: Record<RunFolder['stage'], Role[]> = {
  'system-prompt': ['base', 'selector', 'judge', 'optimizer'],
  icl: ['selector', 'judge', 'optimizer'],
};

/** Time the run was active: each session from its start to its last event, plus the current one. */
export function activeMs(previous: readonly LoggedEvent[], sessionStart: number, now: number): number {
  let total = 0;
  let start: number | undefined;
  let last = 0;
  for (const event of previous) {
    if (event.type === 'run-started' || event.type === 'run-resumed') {
      if (start !== undefined) total += last - start;
      start = event.ts;
    }
    last = event.ts;
  }
  if (start !== undefined) total += last - start;
  return total + (now - sessionStart);
}

/** The calls earlier pauses asked to renew (their unusable replies are not replayed). */
function renewedCalls(previous: readonly LoggedEvent[]): Set<string> {
  return new Set(previous.flatMap((e) => (e.type === 'run-paused' ? (e.renew ?? []) : [])));
}

export async function runStage(folder: RunFolder, options: RunOptions = {}): Promise<SystemPromptResult | IclResult> {
  try {
    return await runLockedStage(folder, options);
  } finally {
    folder.lock.release();
  }
}

async function runLockedStage(folder: RunFolder, options: RunOptions): Promise<SystemPromptResult | IclResult> {
  const { config, log, stage } = folder;
  const sessionStart = Date.now();
  const ledger = new CallLedger();
  const cache = new CallCache(config.cacheDir ? path.join(config.cacheDir, 'calls.jsonl') : undefined);
  restoreCalls(log.previous, cache, () => ledger, ledger);
  const renewed = renewedCalls(log.previous);
  const noticed = new Set(log.previous.flatMap((e) => (e.type === 'notice' ? [e.message] : [])));
  const outages = new OutageTracker(log.previous);
  let activity: ActivityWatch | undefined;
  const emit = (event: RunEvent) => {
    outages.observe(event);
    const logged = log.append(event);
    if (logged) options.onLogged?.(logged);
    activity?.observe(event); // first, so a listener reading the activity sees this event counted
    options.onEvent?.(event);
  };
  const budget = budgetInForce(config.budget, log.previous, options.budget);
  const gate = new SpendGate(budget, () => ledgerSpend(ledger));
  emit(
    folder.resumed
      ? { type: 'run-resumed', ...(options.budget ? { budget } : {}) }
      : { type: 'run-started', stage, version: '1' },
  );

  const roles = STAGE_ROLES[stage];
  const embedder = config.retrieval.embedder;
  let backends: Awaited<ReturnType<typeof openBackends>> | undefined;
  const unsubscribes: (() => void)[] = [];
  try {
    backends = await openBackends(
      config,
      roles,
      typeof embedder === 'object' && embedder.kind === 'backend' && stage === 'system-prompt'
        ? [embedder.backend]
        : [],
      { secrets: options.secrets, userDataDir: options.userDataDir, consumer: `run:${folder.id}` },
    );
    backends.onWarning((message) => {
      emit({ type: 'warning', message });
      options.onWarning?.(message);
    });
    backends.onNotice((message) => {
      if (noticed.has(message)) return;
      noticed.add(message);
      emit({ type: 'notice', message });
      options.onNotice?.(message);
    });
    // The probe's requests reached the server too: counted beside the calls (the backend's probeRequests).
    for (const { backend, profile } of backends.probes) {
      ledger.recordProbe(backend, profile.requests);
      emit({ type: 'probe', backend, requests: profile.requests, summary: profile.summary });
    }
    // What will work, but worse (a role asking JSON of a backend that cannot constrain it), now that the servers' profiles are known.
    const host = { secrets: options.secrets, userDataDir: options.userDataDir };
    for (const warning of (await roleFitness(config, stage, host)).warnings) {
      emit({ type: 'warning', message: warning });
      options.onWarning?.(warning);
    }
    const opened = backends;
    // A budget in dollars cannot see what a backend without a price spends.
    for (const name of new Set(roles.map((role) => config.roles[role].backend!)))
      if (budget?.dollars !== undefined && !opened.byName.get(name)!.price) {
        const message = `the budget of ${formatDollars(budget.dollars)} counts nothing for backend "${name}": no price for ${opened.byName.get(name)!.model ?? 'its model'} (give the backend a "price")`;
        emit({ type: 'warning', message });
        options.onWarning?.(message);
      }
    // The base model's prompt format, now that its backend's abilities are known (a resume keeps the logged one).
    const promptFormat =
      stage === 'system-prompt'
        ? runPromptFormat(config, log.previous, opened.byName.get(config.roles.base.backend!)!.client.capabilities)
        : undefined;
    if (promptFormat) emit({ type: 'prompt-format', ...promptFormat });
    // The limit each connection starts from, then each change and why, in this run's log.
    for (const [name, backend] of opened.byName)
      unsubscribes.push(
        backend.scheduler.onLimitChange((change) => emit({ type: 'concurrency', backend: name, ...change })),
      );
    const services = { cache, ledger, emit, renewed, gate };
    // The ICL stage samples as `iclRoles` says over `roles` (reference: its optimizer at T 0, top-p 1).
    const client = (role: Role) =>
      new RoleClient(
        role,
        opened.byName.get(config.roles[role].backend!)!,
        stageSampling(config, stage, role),
        services,
      );
    // The engine's warnings (a selector reply the static set stood in for) reach the CLI too.
    const events = {
      emit: (event: EngineEvent) => {
        emit(event);
        if (event.type === 'warning') options.onWarning?.(event.message);
      },
    };
    const catalog = loadAspectCatalog(config.reward.aspects);
    const rewardSetup = stageRewardOptions({ ...config.reward, textMaxChars: config.jsonTextMaxChars }, stage, catalog);
    const reward = new DynamicReward(
      rewardSetup.options,
      { selector: client('selector'), judge: client('judge') },
      events,
      ledger,
    );
    for (const message of rewardSetup.warnings) events.emit({ type: 'warning', message });
    const data = loadRunData(config, stage);
    activity = watchActivity(
      runActivityKey(folder.id),
      opened.byName,
      runPacePlan(config, stage, data.examples.length),
      {
        spent: () => ledgerSpend(ledger),
        budget,
      },
    );
    const dynamic = config.reward.mode === 'dynamic';
    const accounting = (): RunAccounting => {
      const totals = ledger.totals();
      return {
        calls: Object.fromEntries(ROLES.map((r) => [r, ledger.roles[r]])) as RunAccounting['calls'],
        backends: ledger.backends,
        retries: totals.retries,
        parseFailures: totals.parseFailures,
        errors: totals.errors,
        wallMs: activeMs(log.previous, sessionStart, Date.now()),
        ...reward.importSummary(),
      };
    };

    let result: SystemPromptResult | IclResult;
    if (stage === 'system-prompt') {
      const s = config.search;
      const plan = systemPromptPlan(s);
      const a5 = a5SystemPromptCalls(s.width, s.samples, s.depth, dynamic);
      const opening = await createRetriever(config.retrieval.embedder, data.examples, opened.byName, {
        userDataDir: options.userDataDir,
        signal: options.signal,
        onDownload: downloadEvents(emit),
        previous: log.previous.findLast((e) => e.type === 'retrieval'),
      });
      const { retriever, dispose: disposeRetriever, retrieval } = opening;
      emit({ type: 'retrieval', ...retrieval });
      if (opening.warning) {
        emit({ type: 'warning', message: opening.warning });
        options.onWarning?.(opening.warning);
      }
      const outcome = await optimizeSystemPrompt(
        {
          initialPrompt: config.initialPrompt,
          queries: data.queries.map((q) => q.query),
          retriever,
          k: config.retrieval.k,
          format: promptFormat!.format,
          plan,
          historySize: s.historySize,
          budget: s.callBudget === 'a5' ? a5 : null,
          base: client('base'),
          optimizer: client('optimizer'),
          reward,
          events,
          ledger,
          promptsDir: config.reward.promptsDir,
          textMaxChars: config.jsonTextMaxChars,
        },
        options.signal,
      ).finally(disposeRetriever);
      result = {
        stage,
        ...runEnding([outcome]),
        runId: folder.id,
        bestPrompt: outcome.best.state,
        score: nodeScore(outcome.best, plan.ranking),
        bestNodeId: outcome.best.id,
        initialPrompt: config.initialPrompt,
        promptFormat: promptFormat!.format,
        search: {
          algorithm: s.algorithm,
          width: plan.width,
          samples: plan.samples,
          depth: s.depth,
          finalDepth: outcome.depth,
          nodes: outcome.nodes.length,
        },
        a5,
        planned: plannedSystemPromptCalls(plan, dynamic),
        retrieval,
        ...accounting(),
      };
    } else {
      const plan = iclPlan(config.iclSearch, '');
      const s = config.iclSearch;
      const outcomes = await optimizeIclExamples(
        {
          examples: data.examples,
          plan,
          optimizer: client('optimizer'),
          reward,
          events,
          ledger,
          promptsDir: config.reward.promptsDir,
          textMaxChars: config.jsonTextMaxChars,
        },
        options.signal,
      );
      const optimized = outcomes.map((o) => o.optimized);
      writeFileAtomic(path.join(folder.dir, ICL_EXAMPLES_FILE), `${JSON.stringify(optimized, null, 2)}\n`);
      result = {
        stage,
        ...runEnding(outcomes.map((o) => o.search)),
        runId: folder.id,
        iclExamplesFile: ICL_EXAMPLES_FILE,
        examples: outcomes.map((o) => {
          const root = o.search.nodes[0]!;
          return {
            query: o.example.query,
            kind: o.example.kind,
            before: o.example.answer,
            after: o.optimized.answer,
            scoreBefore: root.reward,
            scoreAfter: o.search.best.reward,
            bestNodeId: o.search.best.id,
          };
        }),
        search: { algorithm: s.algorithm, width: plan.width, samples: plan.samples, depth: s.depth },
        a5: a5IclCalls(s.width, s.samples, s.depth, data.examples.length, dynamic),
        planned: plannedIclCalls(plan, data.examples.length, dynamic),
        ...accounting(),
      };
    }
    writeResult(folder.dir, result);
    const failed = (result.failedNodes?.length ?? 0) + (result.failedRewrites?.length ?? 0);
    emit({ type: 'run-finished', ...(failed > 0 ? { failed } : {}) });
    return result;
  } catch (error) {
    if (gate.reason !== null && !options.signal?.aborted) {
      // The budget stopped new calls: those already asked finish and are logged before the pause says what was spent.
      await gate.settled();
      const reason = `${gate.pauseReason()} — resume with a higher budget, or cancel`;
      emit({ type: 'run-paused', reason, outages: [] });
      throw new RunPausedError(reason, []);
    }
    if (error instanceof ModelCallError && error.kind === 'aborted')
      emit({ type: 'run-cancelled', reason: error.message });
    else if (error instanceof LevelUnfinishedError) {
      // Backends fail for good: stopped, not failed. A resume replays what finished from the cache and asks again only what failed.
      const paused = outages.pause(error.failures);
      emit({ type: 'run-paused', reason: paused.reason, outages: paused.outages });
      throw paused;
    } else if (error instanceof RepliesUnusableError) {
      // The server ignores the schema: nothing to rank. A resume asks these calls again (after a fix) instead of replaying them.
      emit({ type: 'run-paused', reason: error.message, outages: [], renew: error.replies.keys });
      throw new RunPausedError(error.message, []);
    } else emit({ type: 'run-failed', error: (error as Error).message });
    throw error;
  } finally {
    activity?.stop();
    for (const unsubscribe of unsubscribes) unsubscribe();
    await backends?.dispose();
  }
}
