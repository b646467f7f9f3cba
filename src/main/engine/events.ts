// Typed progress events of the engine. The run store appends them to the run's log; the
// studio streams them; the tree is rebuilt from them.
import type { Role } from '../llm/callLedger.js';
import type { AspectSelection, Evaluation } from './types.js';

export type NodeAction = 'initial' | 'rewrite' | 'carry-over';

export interface NodeCreated {
  type: 'node';
  id: string;
  parentId: string | null;
  level: number;
  state: string;
  action: NodeAction;
  query: string;
  /** A rewrite's: the optimizer's analysis of its parent's feedback and its plan (the reply's `analysis` and `thought`). */
  analysis?: string;
  thought?: string;
}

/** What a level was ranked without. */
export interface PartialLevel {
  /** Nodes whose evaluation failed for good (a request the backend refused for itself, or an engine error). */
  failed: string[];
  /** Nodes the judge answered for, unusably even after the repair re-ask: no reward. */
  unjudged: string[];
  /** Beam nodes whose rewrite failed for good: the successors they should have had are missing. */
  unexpanded: string[];
}

export type EngineEvent =
  | { type: 'selection'; query: string; selection: AspectSelection }
  | {
      type: 'parse-failure';
      role: Role;
      purpose: 'selection' | 'judgement' | 'transition';
      error: string;
      raw: string;
      query?: string;
      nodeId?: string;
    }
  | NodeCreated
  | {
      type: 'node-evaluated';
      id: string;
      output: string;
      evaluation: Evaluation;
      reward: number | null;
      score: number | null;
    }
  | { type: 'node-failed'; id: string; error: string }
  /** The optimizer's rewrite of a beam node failed (a retry may still bring its successors). */
  | { type: 'proposal-failed'; id: string; error: string }
  /** The level's new beam; `partial` when it was ranked without a judgement of every node it should have had. */
  | { type: 'beam'; level: number; ids: string[]; partial?: PartialLevel }
  | { type: 'depth-extended'; level: number; depth: number }
  /** Something the user should know that does not stop the run (the run log's own `warning`). */
  | { type: 'warning'; message: string }
  | { type: 'depth-extension-skipped'; level: number; reason: string };

export interface EngineEvents {
  emit(event: EngineEvent): void;
}
