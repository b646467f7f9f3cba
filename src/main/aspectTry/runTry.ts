// A try on one query (README "Trying criteria on a query"): the answer generated where asked,
// the aspects selected (or ticked) and the answer judged by the engine's own DynamicReward on the
// catalog as sent, so the selector and the judge read exactly the prompts a run would send. An
// unusable selector reply falls back to the static aspects, visibly; an unusable judge reply is a
// judgement that failed, never a score; a call that fails for good ends the try with its reason.
// Every call goes through a fresh cache and ledger: the cost reported is this try's alone.
import { asModelCallError } from '../../plugins/contract.js';
import type { AspectTryEvent, AspectTryResult, AspectTrySelection } from '../../shared/aspectTry.js';
import { stageSampling } from '../config/runConfig.js';
import { assemblePrompt, cleanAnswer, defaultPromptFormat } from '../engine/promptAssembly.js';
import { DynamicReward } from '../engine/rewards/dynamicReward.js';
import { CallCache } from '../llm/callCache.js';
import { CallLedger, type Role } from '../llm/callLedger.js';
import { RoleClient } from '../llm/roleClient.js';
import { type BackendHost, openNamedBackends } from '../runs/openBackends.js';
import { TICKED_REASON, type TryPlan } from './tryPlan.js';

/** How long a try waits out a full server (429/503) per call before it says so: a playground, not a run. */
const TRY_OVERLOAD_WAIT_MS = 30_000;

export interface TryOptions extends Omit<BackendHost, 'consumer'> {
  signal?: AbortSignal;
  /** The answer, then the selection, as they come (the result is returned). */
  onEvent?: (event: Extract<AspectTryEvent, { type: 'answer' | 'selection' }>) => void;
  /** What the backends warn of while they open and serve (a capability given up). */
  onWarning?: (message: string) => void;
}

export async function runTry(plan: TryPlan, options: TryOptions = {}): Promise<AspectTryResult> {
  const { config, request, reward: rewardOptions } = plan;
  const { signal, onEvent, onWarning, ...host } = options;
  const roleBackend = (role: Role) => config.roles[role].backend!;
  const opened = await openNamedBackends(config, Object.keys(config.backends), {
    maxOverloadWaitMs: TRY_OVERLOAD_WAIT_MS,
    ...host,
    consumer: 'aspect-try',
  });
  try {
    if (onWarning) opened.onWarning(onWarning);
    const ledger = new CallLedger();
    const services = { cache: new CallCache(), ledger, emit: () => {} };
    const client = (role: Role, maxTokens?: number) => {
      const sampling = stageSampling(config, 'system-prompt', role);
      return new RoleClient(
        role,
        opened.byName.get(roleBackend(role))!,
        { ...sampling, maxTokens: maxTokens ?? sampling.maxTokens },
        services,
      );
    };
    // A call that fails for good names the role and connection it failed on.
    const step = async <T>(role: Role, call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        signal?.throwIfAborted();
        throw new Error(
          `the ${role === 'base' ? 'answer' : role}'s call to "${roleBackend(role)}" failed: ${(asModelCallError(error) ?? (error as Error)).message}`,
        );
      }
    };

    let answer: string;
    if ('text' in request.answer) answer = request.answer.text;
    else {
      const { systemPrompt, promptFormat } = request.answer.generate;
      const base = client('base', plan.generateMaxTokens);
      const format = promptFormat ?? defaultPromptFormat(base.backend.client.capabilities);
      const prompt = assemblePrompt(format, { systemPrompt, examples: [] }, request.query);
      const [text] = await step('base', () => base.generate(prompt.input, { stop: prompt.stop, signal }));
      answer = cleanAnswer(format, text ?? '');
      onEvent?.({ type: 'answer', text: answer });
    }

    const reward = new DynamicReward(
      { ...rewardOptions, mode: 'dynamic' },
      { selector: client('selector'), judge: client('judge') },
      { emit: () => {} },
      ledger,
    );
    const selection: AspectTrySelection = plan.ticked
      ? { aspects: plan.ticked, reasoning: TICKED_REASON, source: 'ticked' }
      : await step('selector', async () => {
          const { aspects, reasoning, source } = await reward.select(request.query, signal);
          return { aspects, reasoning, source: source === 'fallback' ? 'fallback' : 'selector' };
        });
    onEvent?.({ type: 'selection', selection });
    const evaluation = await step('judge', () =>
      reward.evaluate(request.query, answer, selection, { nodeId: 'try', signal }),
    );

    const totals = ledger.totals();
    const priced = [...opened.byName.values()].every((backend) => backend.price);
    return {
      query: request.query,
      answer,
      selection,
      judgement: evaluation.ok
        ? {
            ok: true,
            scores: evaluation.scores.map(({ aspect, score, rationale }) => ({ aspect, score, rationale })),
            reward: evaluation.reward,
          }
        : evaluation,
      cost: {
        calls: totals.calls + totals.repairs,
        promptTokens: totals.promptTokens,
        completionTokens: totals.completionTokens,
        costUsd: priced ? totals.costUsd : null,
      },
    };
  } finally {
    await opened.dispose();
  }
}
