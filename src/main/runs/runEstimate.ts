// What a run will cost before it starts: calls per role from appendix A.5 (the budget) and as
// this search plans them, and a rough token figure (4 characters a token; every output at its
// maxTokens limit, so an upper bound for outputs).
import type { RunConfig } from '../config/runConfig.js';
import {
  a5IclCalls,
  a5SystemPromptCalls,
  plannedIclCalls,
  plannedSystemPromptCalls,
  type RoleCounts,
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
  tokens: Record<Role, { prompt: number; completion: number }>;
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
  const output = (role: Role) => config.roles[role].maxTokens * CHARS_PER_TOKEN;
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
  const planned =
    stage === 'icl'
      ? plannedIclCalls(iclPlan(config.iclSearch, ''), data.examples.length, dynamic)
      : plannedSystemPromptCalls(systemPromptPlan(config.search), dynamic);
  const tokens = Object.fromEntries(
    ROLES.map((role) => [
      role,
      {
        prompt: Math.round((a5[role] * promptChars[role]) / CHARS_PER_TOKEN),
        completion: a5[role] * config.roles[role].maxTokens,
      },
    ]),
  ) as RunEstimate['tokens'];
  return { stage, a5, planned, tokens };
}
