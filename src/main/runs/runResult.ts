// The shape of result.json, per stage.
import type { IclResultExample } from '../../shared/studioApi.js';
import type { RoleCounts } from '../engine/costEstimate.js';
import type { PartialLevel } from '../engine/events.js';
import type { PromptFormat } from '../engine/promptAssembly.js';
import type { SearchOutcome } from '../engine/search/beamSearch.js';
import type { BackendTally, Role, RoleTally } from '../llm/callLedger.js';
import type { RetrievalRecord } from './createRetriever.js';

export interface RunAccounting {
  calls: Record<Role, RoleTally>;
  backends: Record<string, BackendTally>;
  retries: number;
  parseFailures: number;
  errors: number;
  wallMs: number;
  /** With `reward.selections`: the file, the queries whose selection came from it, its entries that could not be used. */
  importedSelections?: { file: string; used: number; unusable: number };
}

/**
 * How the search ended. 'finished-with-failures': some work has no result because its calls failed
 * for good on a request the backend refused for itself (a backend that is down pauses the run
 * instead, so a finished run never hides one). An unusable judge reply is the judge's answer, not
 * a failure: it leaves the status alone but is named in `partialLevels`.
 */
export interface RunEnding {
  status: 'finished' | 'finished-with-failures';
  // The lists are absent from results written before failures were recorded (a result read back may lack them).
  /** Nodes left without a reward because their evaluation failed for good. */
  failedNodes?: string[];
  /** Nodes whose rewrite failed for good: the successors they should have had were never made. */
  failedRewrites?: string[];
  /** Levels ranked without a judgement of every node they should have had, and what each lacked. */
  partialLevels?: (PartialLevel & { level: number })[];
}

/** The ending of one or several searches (an ICL run searches each example on its own; node ids tell them apart). */
export function runEnding(searches: readonly SearchOutcome[]): Required<RunEnding> {
  const failedNodes = searches.flatMap((s) => s.failedNodes);
  const failedRewrites = searches.flatMap((s) => s.failedProposals);
  return {
    status: failedNodes.length + failedRewrites.length > 0 ? 'finished-with-failures' : 'finished',
    failedNodes,
    failedRewrites,
    partialLevels: searches.flatMap((s) => s.partialLevels),
  };
}

export interface SystemPromptResult extends RunAccounting, RunEnding {
  stage: 'system-prompt';
  runId: string;
  bestPrompt: string;
  /** Ranking score of the best prompt (mean step reward along its path); null if nothing was scored. */
  score: number | null;
  bestNodeId: string;
  initialPrompt: string;
  /** The base model's prompt format the run used (the config's, or chosen by the base backend); absent in results written before it was recorded. */
  promptFormat?: PromptFormat;
  search: { algorithm: string; width: number; samples: number; depth: number; finalDepth: number; nodes: number };
  /** Appendix A.5 call counts: the budget. */
  a5: RoleCounts;
  /** Calls this search makes when nothing is carried over. */
  planned: RoleCounts;
  /** What ranked the ICL examples: the model asked for, the one used and why not (absent in results written before). */
  retrieval?: RetrievalRecord;
}

/** Where an ICL run keeps its optimized examples, in its own folder. */
export const ICL_EXAMPLES_FILE = 'icl-examples.json';

export interface IclResult extends RunAccounting, RunEnding {
  stage: 'icl';
  runId: string;
  iclExamplesFile: string;
  examples: IclResultExample[];
  search: { algorithm: string; width: number; samples: number; depth: number };
  a5: RoleCounts;
  planned: RoleCounts;
}
