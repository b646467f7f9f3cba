// What a try on one query (README "Trying criteria on a query") will do before it does it: the
// catalog as sent (unsaved edits included) checked as a run checks it, the connections of each
// role as a run config of their own (so sampling, maxTokens and prompts are a run's defaults),
// and the estimate — calls, tokens and dollars — from the very prompts the calls will carry.
// Nothing here opens a backend.

import type { AspectTryEstimate, AspectTryRequest } from '../../shared/aspectTry.js';
import { aspectTryRequestSchema } from '../../shared/aspectTry.js';
import { ownValue } from '../../shared/ownProperty.js';
import { StudioApiError } from '../../shared/studioApiError.js';
import { normalizeConfig, type RunConfig, stageSampling } from '../config/runConfig.js';
import { enabledAspects, findAspect, renderAspectList, validateAspectCatalog } from '../engine/aspects.js';
import { assemblePrompt } from '../engine/promptAssembly.js';
import { judgementPrompt, type RewardOptions, selectionPrompt } from '../engine/rewards/dynamicReward.js';
import { stageRewardOptions } from '../engine/rewards/stageReward.js';
import type { AspectCatalog } from '../engine/types.js';
import type { Role } from '../llm/callLedger.js';
import { priceTable } from '../runs/openBackends.js';
import { dollarsFor } from '../runs/runCost.js';
import { SettingsStore } from '../store/settingsStore.js';

type ParsedRequest = ReturnType<typeof aspectTryRequestSchema.parse>;
type Step = AspectTryEstimate['steps'][number];

/** What the judge reads as the selector's reasoning when the user ticked the aspects. */
export const TICKED_REASON = 'The user chose these aspects to judge.';

const STEP_ROLE: Record<Step, Role> = { generate: 'base', select: 'selector', judge: 'judge' };
const CHARS_PER_TOKEN = 4; // as runEstimate.ts counts a prompt

export interface TryPlan {
  request: ParsedRequest;
  catalog: AspectCatalog;
  /** The ticked aspects under their catalog names; absent: the selector picks. */
  ticked?: string[];
  /** A config whose backends are the chosen connections (each named as itself) and whose roles use them. */
  config: RunConfig;
  reward: RewardOptions;
  /** The base role's output limit when the answer is generated. */
  generateMaxTokens: number;
  estimate: AspectTryEstimate;
}

const invalid = (message: string) => new StudioApiError('invalid-argument', message);

/** Checks a try and prices it; an invalid catalog, an unknown aspect or connection is an invalid-argument error. */
export async function planTry(input: AspectTryRequest, userDataDir: string): Promise<TryPlan> {
  // The transport checked the shape; parsing again here serves callers that skip it (the CLI).
  const parsed = aspectTryRequestSchema.safeParse(input);
  if (!parsed.success) throw invalid(`invalid try: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const request = parsed.data;
  let catalog: AspectCatalog;
  try {
    // A custom aspect without a rubric is allowed here: the judge reads its description, as a run would.
    catalog = validateAspectCatalog(request.catalog, 'the catalog tried');
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const ticked = request.aspects?.map((name) => {
    const aspect = findAspect(catalog, name);
    if (!aspect) throw invalid(`"${name}" is not an aspect of the catalog tried`);
    return aspect.name;
  });
  if (!ticked && request.selector === undefined)
    throw invalid('a try needs a selector connection, unless aspects are ticked');
  const generate = 'generate' in request.answer ? request.answer.generate : undefined;
  const connections: Partial<Record<Role, string>> = {
    judge: request.judge,
    ...(ticked ? {} : { selector: request.selector }),
    ...(generate ? { base: generate.connection } : {}),
  };
  const store = await SettingsStore.open(userDataDir);
  for (const name of Object.values(connections))
    if (!ownValue(store.data.connections, name!)) throw invalid(`no saved connection "${name}"`);
  const names = [...new Set(Object.values(connections))] as string[];
  const config = normalizeConfig(
    {
      backends: Object.fromEntries(names.map((name) => [name, { connection: name }])),
      roles: Object.fromEntries(
        (['base', 'selector', 'judge'] as const).map((role) => [role, { backend: connections[role] ?? request.judge }]),
      ),
      retrieval: { embedder: 'lexical' },
      cacheDir: null,
    },
    userDataDir,
  );
  const reward = stageRewardOptions(
    { ...config.reward, textMaxChars: config.jsonTextMaxChars },
    'system-prompt',
    catalog,
  ).options;
  const generateMaxTokens = generate?.maxTokens ?? config.roles.base.maxTokens;
  const plan = { request, catalog, ...(ticked ? { ticked } : {}), config, reward, generateMaxTokens };

  // One call per step; a prompt not known yet (the judge's, before the selection) at its largest.
  const steps: Step[] = [...(generate ? ['generate' as const] : []), ...(ticked ? [] : ['select' as const]), 'judge'];
  const maxTokens = (step: Step) =>
    step === 'generate' ? generateMaxTokens : stageSampling(config, 'system-prompt', STEP_ROLE[step]).maxTokens;
  const answer = 'text' in request.answer ? request.answer.text : 'x'.repeat(generateMaxTokens * CHARS_PER_TOKEN);
  const promptChars = (step: Step): number => {
    if (step === 'generate') {
      // Unnamed, the format is the backend's to decide once open; its two candidates carry the same text.
      const { input } = assemblePrompt(
        generate!.promptFormat ?? 'drpo',
        { systemPrompt: generate!.systemPrompt, examples: [] },
        request.query,
      );
      return input.kind === 'text' ? input.text.length : input.messages.reduce((n, m) => n + m.content.length, 0);
    }
    if (step === 'select') return selectionPrompt(reward, request.query).length;
    return judgementPrompt(reward, request.query, answer, {
      aspects: ticked ?? widestSelection(catalog, reward.maxAspects),
      reasoning: ticked ? TICKED_REASON : '',
    }).length;
  };
  const prices = priceTable(store);
  const priceOf = (step: Step) => {
    const model = ownValue(store.data.connections, connections[STEP_ROLE[step]]!)?.settings.model;
    return typeof model === 'string' ? ownValue(prices, model) : undefined;
  };
  const perStep = steps.map((step) => ({
    prompt: Math.ceil(promptChars(step) / CHARS_PER_TOKEN),
    completion: maxTokens(step),
    price: priceOf(step),
  }));
  const promptTokens = perStep.reduce((n, s) => n + s.prompt, 0);
  const completionTokens = perStep.reduce((n, s) => n + s.completion, 0);
  const costUsd = perStep.every((s) => s.price)
    ? perStep.reduce((sum, s) => sum + dollarsFor(s.price!, s.prompt, s.completion), 0)
    : null;
  return {
    ...plan,
    estimate: { steps, calls: steps.length, worstCase: 2 * steps.length, promptTokens, completionTokens, costUsd },
  };
}

/** The selection whose judge prompt is longest: the enabled aspects with the longest rubrics, as many as may be picked. */
function widestSelection(catalog: AspectCatalog, maxAspects: number): string[] {
  const length = (name: string) => renderAspectList(catalog, [name], 'judge').length;
  return enabledAspects(catalog)
    .map((a) => a.name)
    .sort((a, b) => length(b) - length(a))
    .slice(0, maxAspects);
}
