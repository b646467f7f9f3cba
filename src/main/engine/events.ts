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
  | { type: 'beam'; level: number; ids: string[] }
  | { type: 'depth-extended'; level: number; depth: number }
  | { type: 'depth-extension-skipped'; level: number; reason: string };

export interface EngineEvents {
  emit(event: EngineEvent): void;
}
