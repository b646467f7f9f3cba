// What a run will cost before it starts: calls per role from appendix A.5, as this search plans
// them, and at worst once depth extension has grown the search (the reference lets it grow up to
// maxDepthIncrease levels; `callBudget: "a5"` caps it at A.5); and a rough token figure for that
// worst case (4 characters a token; every output at its maxTokens limit, so an upper bound).
// Nothing here opens a backend.
import { type RunConfig, stageSampling } from '../config/runConfig.js';
import {
  a5IclCalls,
  a5SystemPromptCalls,
  plannedIclCalls,
  plannedSystemPromptCalls,
  type RoleCounts,
  worstCaseDepth,
  worstCaseSystemPromptCalls,
} from '../engine/costEstimate.js';
import { loadMetaPrompt } from '../engine/metaPrompts.js';
import { rewardTemplates } from '../engine/rewards/stageReward.js';
import { iclPlan, systemPromptPlan } from '../engine/search/searchPlan.js';
import { ROLES, type Role } from '../llm/callLedger.js';
import type { RunStage } from '../store/runLog.js';
import { loadRunData } from './runData.js';

export interface RunEstimate {
  stage: RunStage;
  a5: RoleCounts;
  planned: RoleCounts;
  /** The most calls with depth extension (the ICL stage never extends: its plan). */
  worstCase: RoleCounts;
  /** Levels of the search, the root's included: as planned, and at most once the depth has grown. */
  levels: { planned: number; worstCase: number };
  /** The worst case's tokens: prompts from their characters, outputs at their maxTokens (an upper bound). */
  tokens: Record<Role, { prompt: number; completion: number }>;
  /** One call's: its prompt's tokens (characters / 4) and its output's bound (the role's maxTokens). */
  perCall: Record<Role, { prompt: number; completion: number }>;
}

const CHARS_PER_TOKEN = 4;
const ASPECTS_TEXT = 5 * 160; // five aspects with descriptions or rationales

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function estimateRun(config: RunConfig, stage: RunStage): RunEstimate {
  const data = loadRunData(config, stage);
  const dynamic = config.reward.mode === 'dynamic';
  const dir = config.reward.promptsDir;
  const query = mean((stage === 'icl' ? data.examples : data.queries).map((q) => q.query.length));
  const example = mean(data.examples.map((e) => e.query.length + e.answer.length));
  const maxTokens = (role: Role) => stageSampling(config, stage, role).maxTokens;
  const output = (role: Role) => maxTokens(role) * CHARS_PER_TOKEN;
  const state =
    stage === 'icl'
      ? mean(data.examples.map((e) => e.answer.length))
      : Math.max(config.initialPrompt.length, output('optimizer') / 2);
  // The ICL stage's critic has its own selector and judge templates.
  const templates = rewardTemplates(config.reward, stage);
  const promptChars: Record<Role, number> = {
    selector: loadMetaPrompt(templates.selection, dir).length + ASPECTS_TEXT * 3 + query,
    base: state + config.retrieval.k * example + query + 80,
    judge:
      loadMetaPrompt(templates.reward, dir).length +
      query +
      (stage === 'icl' ? state : output('base')) +
      ASPECTS_TEXT * 2,
    optimizer:
      stage === 'icl'
        ? loadMetaPrompt('icl-transition', dir).length + query + state + ASPECTS_TEXT
        : loadMetaPrompt('system-prompt-transition', dir).length +
          state * (config.search.historySize + 1) +
          query +
          output('base') +
          ASPECTS_TEXT,
  };
  const a5 =
    stage === 'icl'
      ? a5IclCalls(
          config.iclSearch.width,
          config.iclSearch.samples,
          config.iclSearch.depth,
          data.examples.length,
          dynamic,
        )
      : a5SystemPromptCalls(config.search.width, config.search.samples, config.search.depth, dynamic);
  const plan = stage === 'icl' ? iclPlan(config.iclSearch, '') : systemPromptPlan(config.search);
  const planned =
    stage === 'icl' ? plannedIclCalls(plan, data.examples.length, dynamic) : plannedSystemPromptCalls(plan, dynamic);
  const worstCase =
    stage === 'icl'
      ? planned
      : worstCaseSystemPromptCalls(plan, dynamic, data.queries.length, config.search.callBudget === 'a5' ? a5 : null);
  const levels = {
    planned: plan.depth,
    worstCase: stage === 'icl' ? plan.depth : worstCaseDepth(plan, data.queries.length),
  };
  const perCall = Object.fromEntries(
    ROLES.map((role) => [role, { prompt: promptChars[role] / CHARS_PER_TOKEN, completion: maxTokens(role) }]),
  ) as RunEstimate['perCall'];
  const tokens = Object.fromEntries(
    ROLES.map((role) => [
      role,
      {
        prompt: Math.round(worstCase[role] * perCall[role].prompt),
        completion: worstCase[role] * perCall[role].completion,
      },
    ]),
  ) as RunEstimate['tokens'];
  return { stage, a5, planned, worstCase, levels, tokens, perCall };
}
