// A run's plan as its time-left estimate reads it (timeLeft.ts): the samples each role is planned
// to return (as `estimate` counts them), the levels and the chain of calls each level waits on.

import type { RunConfig } from '../config/runConfig.js';
import { plannedIclCalls, plannedSystemPromptCalls } from '../engine/costEstimate.js';
import { iclNodePrefix } from '../engine/iclStage.js';
import { iclPlan, systemPromptPlan } from '../engine/search/searchPlan.js';
import { ROLES, type Role } from '../llm/callLedger.js';
import type { RunEvent, RunStage } from '../store/runLog.js';
import type { PacePlan } from './timeLeft.js';

/** The roles whose planned samples an event of the search reports done. */
function rolesDone(event: RunEvent): Role[] {
  switch (event.type) {
    case 'selection':
      return ['selector'];
    // An evaluation is the base model's answer and its judgment (an ICL run plans no base calls,
    // so counting them there changes nothing).
    case 'node-evaluated':
    case 'node-failed':
      return ['base', 'judge'];
    // A rewrite is one optimizer sample; an unusable one is a sample too.
    case 'node':
      return event.action === 'rewrite' ? ['optimizer'] : [];
    case 'parse-failure':
      return event.purpose === 'transition' ? ['optimizer'] : [];
    default:
      return [];
  }
}

/** The calls a level waits on in turn. System prompt: every level's aspects are asked for at the
 * start, alongside the root's answer. ICL: an example's first judgment waits for its query's
 * aspects; later levels reuse them. */
const CHAINS: Record<RunStage, PacePlan['chain']> = {
  'system-prompt': { root: ['base', 'judge'], level: ['optimizer', 'base', 'judge'] },
  icl: { root: ['selector', 'judge'], level: ['optimizer', 'judge'] },
};

export function runPacePlan(config: RunConfig, stage: RunStage, examples: number): PacePlan {
  const dynamic = config.reward.mode === 'dynamic';
  const backendOf = (role: Role) => config.roles[role].backend!;
  const icl = stage === 'icl';
  const plan = icl ? iclPlan(config.iclSearch, '') : systemPromptPlan(config.search);
  const planned = icl ? plannedIclCalls(plan, examples, dynamic) : plannedSystemPromptCalls(plan, dynamic);
  return {
    work: ROLES.map((role) => ({ role, backend: backendOf(role), samples: planned[role] })),
    done: (event) => rolesDone(event).map((role) => ({ role, backend: backendOf(role) })),
    // An ICL run searches every example at once.
    searches: icl ? Array.from({ length: examples }, (_, i) => iclNodePrefix(i)) : [''],
    levels: plan.depth,
    chain: CHAINS[stage],
    stopWhenPerfect: plan.stopWhenPerfect,
  };
}
