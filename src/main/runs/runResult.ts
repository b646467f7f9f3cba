// The shape of result.json, per stage.
import type { IclResultExample } from '../../shared/studioApi.js';
import type { RoleCounts } from '../engine/costEstimate.js';
import type { Role, RoleTally } from '../llm/callLedger.js';

export interface RunAccounting {
  calls: Record<Role, RoleTally>;
  backends: Record<string, { calls: number; promptTokens: number; completionTokens: number; costUsd: number }>;
  retries: number;
  parseFailures: number;
  errors: number;
  wallMs: number;
}

export interface SystemPromptResult extends RunAccounting {
  stage: 'system-prompt';
  status: 'finished';
  runId: string;
  bestPrompt: string;
  /** Ranking score of the best prompt (mean step reward along its path); null if nothing was scored. */
  score: number | null;
  bestNodeId: string;
  initialPrompt: string;
  search: { algorithm: string; width: number; samples: number; depth: number; finalDepth: number; nodes: number };
  /** Appendix A.5 call counts: the budget. */
  a5: RoleCounts;
  /** Calls this search makes when nothing is carried over. */
  planned: RoleCounts;
}

/** Where an ICL run keeps its optimized examples, in its own folder. */
export const ICL_EXAMPLES_FILE = 'icl-examples.json';

export interface IclResult extends RunAccounting {
  stage: 'icl';
  status: 'finished';
  runId: string;
  iclExamplesFile: string;
  examples: IclResultExample[];
  search: { algorithm: string; width: number; samples: number; depth: number };
  a5: RoleCounts;
  planned: RoleCounts;
}
