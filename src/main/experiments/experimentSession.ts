// Runs an experiment folder to the end: every setup on every target answers every selected item,
// the evaluation judge scores each answer, and the tables are written. All cells run at once;
// each connection's scheduler (shared with the runs on it) holds its concurrency. Resumable like
// a run: finished calls come back from the log into the cache, so a resume re-pays (and
// re-judges) nothing. The session holds
// the folder's lock to its end and then lets it go.
//
// A call that fails for good fails its item only, as a run's does its node (engine/search/
// levelFailures.ts): a backend's failure is asked once more when the other items are done, and if
// it still fails the experiment pauses (resumable, the reason logged) rather than finish without
// it; an item whose request the backend refused for itself is left out of the scores, named in
// the result, and the experiment ends `finished-with-failures`.

import { setMaxListeners } from 'node:events';

import path from 'node:path';
import { asModelCallError, ModelCallError } from '../../plugins/contract.js';
import type {
  CellCost,
  CellSummary,
  ExperimentResult,
  FailedItem,
  JudgmentRecord,
} from '../../shared/experimentTypes.js';
import { assemblePrompt, cleanAnswer, defaultPromptFormat, type PromptFormat } from '../engine/promptAssembly.js';
import type { ExampleRetriever } from '../engine/retrieval/exampleRetriever.js';
import { backendFailure } from '../engine/search/levelFailures.js';
import type { IclExample } from '../engine/types.js';
import { CallCache } from '../llm/callCache.js';
import type { CallEvent } from '../llm/callEvents.js';
import { CallLedger, type RoleTally } from '../llm/callLedger.js';
import { restoreCalls } from '../llm/callReplay.js';
import { type Backend, RoleClient } from '../llm/roleClient.js';
import { OutageTracker, RunPausedError } from '../runs/backendOutage.js';
import { downloadEvents } from '../runs/createRetriever.js';
import { type ActivityWatch, experimentActivityKey, watchActivity } from '../runs/liveActivity.js';
import { openNamedBackends } from '../runs/openBackends.js';
import { BudgetReachedError, budgetInForce, ledgerSpend, SpendGate } from '../runs/runBudget.js';
import { activeMs, type RunOptions } from '../runs/runSession.js';
import { makePrivateDir, writeFileAtomic } from '../store/privateFiles.js';
import { writeResult } from '../store/runFolder.js';
import type { RunEvent } from '../store/runLog.js';
import { summarizeCell, withDeltas } from './aggregate.js';
import { judgeForEvaluation } from './evalJudge.js';
import type { EvalItem } from './evalSet.js';
import type { ExperimentFolder } from './experimentFolder.js';
import { experimentPacePlan } from './experimentPace.js';
import { type JudgeProtocol, protocolSummary } from './judgeProtocol.js';
import { openSetupRetrievers, type SetupRetrievers } from './setupRetrievers.js';
import type { ResolvedSetup } from './setups.js';
import { experimentTables, toCsv, toMarkdown } from './tables.js';

/** The same hooks as a run's: cancellation, every event, each logged event, warnings, the key store. */
export type ExperimentOptions = RunOptions;

type Target = ExperimentFolder['config']['targets'][number];

/** A cell's key in call events: which setup on which target a call served. */
export const cellScope = (setup: string, target: string): string => JSON.stringify([setup, target]);

function costOf(tally: RoleTally): CellCost {
  return {
    calls: tally.calls + tally.repairs,
    promptTokens: tally.promptTokens,
    completionTokens: tally.completionTokens,
    costUsd: tally.costUsd,
  };
}

export async function runExperiment(
  folder: ExperimentFolder,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  try {
    return await runLockedExperiment(folder, options);
  } finally {
    folder.lock.release();
  }
}

async function runLockedExperiment(folder: ExperimentFolder, options: ExperimentOptions): Promise<ExperimentResult> {
  const { config, log, setups, items } = folder;
  const sessionStart = Date.now();
  const cache = new CallCache(config.cacheDir ? path.join(config.cacheDir, 'calls.jsonl') : undefined);
  const ledgers = new Map<string, CallLedger>();
  const ledgerOf = (scope: string) => {
    const ledger = ledgers.get(scope) ?? new CallLedger();
    ledgers.set(scope, ledger);
    return ledger;
  };
  restoreCalls(log.previous, cache, (event) => ledgerOf(event.scope ?? ''));
  const outages = new OutageTracker(log.previous);
  let activity: ActivityWatch | undefined;
  const emit = (event: RunEvent) => {
    outages.observe(event);
    const logged = log.append(event);
    if (logged) options.onLogged?.(logged);
    activity?.observe(event);
    options.onEvent?.(event);
  };
  const budget = budgetInForce(config.budget, log.previous, options.budget);
  const gate = new SpendGate(budget, () => ledgerSpend(...ledgers.values()));
  emit(
    folder.resumed
      ? { type: 'run-resumed', ...(options.budget ? { budget } : {}) }
      : { type: 'run-started', stage: 'experiment', version: '1' },
  );
  // A judge left to the default that could not have just-eval's templates says so once, as it starts.
  const { judgeProtocol } = folder;
  if (!folder.resumed && judgeProtocol.protocol === 'drpo-studio' && judgeProtocol.fallback) {
    emit({ type: 'warning', message: judgeProtocol.fallback });
    options.onWarning?.(judgeProtocol.fallback);
  }

  // The user's cancel stops every call at once; so does an error of the session itself.
  const controller = new AbortController();
  // Every queued call listens to it: thousands of listeners are expected here.
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  let backends: Awaited<ReturnType<typeof openNamedBackends>> | undefined;
  let retrieval: SetupRetrievers | undefined;
  const unsubscribes: (() => void)[] = [];
  try {
    backends = await openNamedBackends(config, [...config.targets.map((t) => t.backend), config.judge.backend], {
      secrets: options.secrets,
      userDataDir: options.userDataDir,
      consumer: `experiment:${folder.id}`,
    });
    activity = watchActivity(
      experimentActivityKey(folder.id),
      backends.byName,
      experimentPacePlan(config, setups.length, items.length),
      { spent: () => ledgerSpend(...ledgers.values()), budget },
    );
    backends.onWarning((message) => {
      emit({ type: 'warning', message });
      options.onWarning?.(message);
    });
    const noticed = new Set(log.previous.flatMap((e) => (e.type === 'notice' ? [e.message] : [])));
    backends.onNotice((message) => {
      if (noticed.has(message)) return;
      noticed.add(message);
      emit({ type: 'notice', message });
      options.onNotice?.(message);
    });
    // A probe's requests reached the server too: the log says so, beside the calls.
    for (const { backend, profile } of backends.probes)
      emit({ type: 'probe', backend, requests: profile.requests, summary: profile.summary });
    const byName = backends.byName;
    for (const [name, backend] of byName)
      unsubscribes.push(
        backend.scheduler.onLimitChange((change) => emit({ type: 'concurrency', backend: name, ...change })),
      );
    retrieval = await openSetupRetrievers(setups, config.retrieval.embedder, {
      userDataDir: options.userDataDir,
      signal: controller.signal,
      onDownload: downloadEvents(emit),
    });
    for (const warning of retrieval.warnings) {
      emit({ type: 'warning', message: warning });
      options.onWarning?.(warning);
    }
    const retrievers = retrieval.retrievers;
    const records: JudgmentRecord[] = [];
    const cells = config.targets.flatMap((target) => setups.map((setup) => ({ target, setup })));
    const tasks = cells.flatMap(({ target, setup }) => {
      const evaluate = cellEvaluator(setup, target, byName.get(target.backend)!, byName.get(config.judge.backend)!, {
        judge: config.judge,
        protocol: judgeProtocol,
        promptsDir: config.promptsDir,
        services: {
          cache,
          gate,
          ledger: ledgerOf(cellScope(setup.name, target.name)),
          emit: (e: CallEvent) => emit({ ...e, scope: cellScope(setup.name, target.name) } as CallEvent),
        },
        emit,
        signal: controller.signal,
        retriever: retrievers.get(setup.name)!.retriever,
      });
      return items.map((item) => ({ setup: setup.name, target: target.name, item, evaluate }));
    });
    type Task = (typeof tasks)[number];
    const failures = new Map<Task, ModelCallError>();
    const attempt = async (task: Task): Promise<void> => {
      try {
        records.push(await task.evaluate(task.item));
        failures.delete(task);
      } catch (error) {
        const failure = asModelCallError(error);
        if (!failure || failure.kind === 'aborted') {
          // The budget stops only new calls: those under way finish, and are logged, before the pause.
          if (!(error instanceof BudgetReachedError)) controller.abort();
          throw error;
        }
        failures.set(task, failure);
      }
    };
    await Promise.all(tasks.map(attempt));
    // Once the other items are done, a backend's failures are asked once more (finished calls come from the cache).
    await Promise.all([...failures].filter(([, e]) => backendFailure(e)).map(([task]) => attempt(task)));
    const stuck = [...failures.values()].filter((e) => backendFailure(e));
    if (stuck.length > 0) throw outages.pause(stuck);
    const failed: FailedItem[] = [...failures].map(([task, error]) => ({
      setup: task.setup,
      target: task.target,
      itemId: task.item.id,
      error: error.message,
    }));
    for (const item of failed) emit({ type: 'eval-failed', ...item });
    const order = new Map(items.map((item, i) => [item.id, i]));
    const cellIndex = (r: JudgmentRecord) =>
      cells.findIndex((c) => c.setup.name === r.setup && c.target.name === r.target);
    records.sort((a, b) => cellIndex(a) - cellIndex(b) || order.get(a.itemId)! - order.get(b.itemId)!);
    const summaries: CellSummary[] = cells.map(({ setup, target }) => {
      const ledger = ledgerOf(cellScope(setup.name, target.name));
      const mine = records.filter((r) => r.setup === setup.name && r.target === target.name);
      const lost = failed.filter((f) => f.setup === setup.name && f.target === target.name).length;
      return summarizeCell(
        setup.name,
        target.name,
        mine,
        { answers: costOf(ledger.roles.base), judge: costOf(ledger.roles.judge) },
        lost,
      );
    });
    const result: ExperimentResult = {
      id: folder.id,
      status: failed.length > 0 ? 'finished-with-failures' : 'finished',
      failures: failed,
      evalSet: {
        file: config.evalSet.file,
        items: items.length,
        regular: items.filter((i) => i.split === 'regular').length,
        safety: items.filter((i) => i.split === 'safety').length,
      },
      setups: setups.map((s) => ({
        name: s.name,
        kind: s.kind,
        systemPrompt: s.systemPrompt,
        examples: s.examples.length,
        k: s.k,
        format: s.format,
        retrieval: retrievers.get(s.name)!.retrieval,
      })),
      targets: config.targets.map((t) => ({
        name: t.name,
        backend: t.backend,
        format: targetFormat(t, byName.get(t.backend)!),
      })),
      baseline: config.baseline!,
      judge: protocolSummary(judgeProtocol),
      cells: withDeltas(summaries, config.baseline!),
      wallMs: activeMs(log.previous, sessionStart, Date.now()),
    };
    writeOutputs(folder.dir, result, records);
    emit({ type: 'run-finished', ...(failed.length > 0 ? { failed: failed.length } : {}) });
    return result;
  } catch (error) {
    const cancelled = options.signal?.aborted && error instanceof ModelCallError && error.kind === 'aborted';
    if (!cancelled && gate.reason !== null) {
      await gate.settled();
      const reason = `${gate.pauseReason()} — resume with a higher budget, or cancel`;
      emit({ type: 'run-paused', reason, outages: [] });
      throw new RunPausedError(reason, []);
    }
    if (cancelled) emit({ type: 'run-cancelled', reason: error.message });
    else if (error instanceof RunPausedError)
      emit({ type: 'run-paused', reason: error.reason, outages: error.outages });
    else emit({ type: 'run-failed', error: (error as Error).message });
    throw error;
  } finally {
    activity?.stop();
    options.signal?.removeEventListener('abort', stop);
    for (const unsubscribe of unsubscribes) unsubscribe();
    await retrieval?.dispose();
    await backends?.dispose();
  }
}

/** A target's prompt format: its own, else the one its backend takes (drpo, or drpo-chat where it only chats). */
function targetFormat(target: Target, backend: Backend): PromptFormat {
  return target.format ?? defaultPromptFormat(backend.client.capabilities);
}

interface CellContext {
  judge: { maxTokens: number; reasonMaxChars?: number; allowNotApplicable: boolean };
  protocol: JudgeProtocol;
  promptsDir?: string;
  services: ConstructorParameters<typeof RoleClient>[3];
  emit: (event: RunEvent) => void;
  signal: AbortSignal;
  /** The setup's retriever (setupRetrievers.ts). */
  retriever: ExampleRetriever<IclExample>;
}

/** Answers and judges one item for one setup on one target. */
function cellEvaluator(
  setup: ResolvedSetup,
  target: Target,
  targetBackend: Backend,
  judgeBackend: Backend,
  context: CellContext,
) {
  const { services, emit, signal, retriever } = context;
  const base = new RoleClient(
    'base',
    targetBackend,
    { temperature: target.temperature, maxTokens: target.maxTokens, seed: target.seed },
    services,
  );
  const judge = new RoleClient('judge', judgeBackend, { temperature: 0, maxTokens: context.judge.maxTokens }, services);
  const format = setup.format ?? targetFormat(target, targetBackend);
  const where = { setup: setup.name, target: target.name };
  return async (item: EvalItem): Promise<JudgmentRecord> => {
    const examples = setup.keepFileOrder
      ? setup.examples.slice(0, setup.k)
      : await retriever.topK(item.instruction, setup.k);
    const { input, stop } = assemblePrompt(format, { systemPrompt: setup.systemPrompt, examples }, item.instruction);
    const [text] = await base.generate(input, {
      stop,
      signal,
      rolloutId: `${cellScope(setup.name, target.name)}:${item.id}`,
    });
    const answer = cleanAnswer(format, text ?? '');
    emit({ type: 'eval-answer', ...where, itemId: item.id, answer });
    const outcome = await judgeForEvaluation(judge, item, answer, {
      reasonMaxChars: context.judge.reasonMaxChars,
      allowNotApplicable: context.judge.allowNotApplicable,
      protocol: context.protocol,
      promptsDir: context.promptsDir,
      signal,
    });
    const record = { ...where, itemId: item.id, split: item.split, tags: item.tags, answer };
    if (!outcome.ok) {
      emit({ type: 'eval-unjudged', ...where, itemId: item.id, error: outcome.error, raw: outcome.raw });
      return { ...record, scores: null, error: outcome.error, judgePrompt: outcome.prompt };
    }
    emit({ type: 'eval-judged', ...where, itemId: item.id, ...outcome.judgment });
    return { ...record, ...outcome.judgment, judgePrompt: outcome.prompt };
  };
}

function writeOutputs(dir: string, result: ExperimentResult, records: readonly JudgmentRecord[]): void {
  writeFileAtomic(path.join(dir, 'judgements.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const tablesDir = path.join(dir, 'tables');
  makePrivateDir(tablesDir);
  const tables = experimentTables(result);
  for (const table of tables) {
    writeFileAtomic(path.join(tablesDir, `${table.name}.csv`), toCsv(table));
    writeFileAtomic(path.join(tablesDir, `${table.name}.md`), toMarkdown(table));
  }
  writeFileAtomic(path.join(tablesDir, 'tables.md'), tables.map(toMarkdown).join('\n'));
  writeResult(dir, result);
}
