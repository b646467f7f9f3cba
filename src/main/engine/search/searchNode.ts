// A node of the search tree: a state (system prompt or ICL answer), how it was reached, and its
// step reward on the level's query. Ranking follows the reference code: a node's score is the
// mean of the step rewards along its path ('path-mean'), or its own reward ('last').
import type { NodeAction, NodeCreated } from '../events.js';
import type { Evaluation } from '../types.js';

export type Ranking = 'path-mean' | 'last';

export interface SearchNode extends Omit<NodeCreated, 'type'> {
  output?: string;
  evaluation?: Evaluation;
  /** Step reward; null while unscored or when no usable score exists. */
  reward: number | null;
  /** Rewards of the path below the root (the root's evaluation is feedback only, as in the reference). */
  pathRewards: number[];
  /** States of the path from the root to this node, oldest first. */
  history: string[];
}

/** A successor state the optimizer proposed, with the reasoning its reply gave for it. */
export type Proposal = Pick<NodeCreated, 'state' | 'analysis' | 'thought'>;

export function rootNode(id: string, state: string, query: string): SearchNode {
  return {
    id,
    parentId: null,
    level: 0,
    state,
    action: 'initial',
    query,
    reward: null,
    pathRewards: [],
    history: [state],
  };
}

export function childNode(
  parent: SearchNode,
  index: number,
  { state, ...reasoning }: Proposal,
  action: NodeAction,
  query: string,
): SearchNode {
  return {
    id: `${parent.id}.${index}`,
    parentId: parent.id,
    level: parent.level + 1,
    state,
    action,
    query,
    ...reasoning,
    reward: null,
    pathRewards: parent.pathRewards,
    history: [...parent.history, state],
  };
}

/** Records an evaluation on the node. */
export function applyEvaluation(node: SearchNode, output: string, evaluation: Evaluation): void {
  node.output = output;
  node.evaluation = evaluation;
  node.reward = evaluation.ok ? evaluation.reward : null;
  if (node.level > 0 && node.reward !== null) node.pathRewards = [...node.pathRewards, node.reward];
}

/**
 * Every aspect scored 5: the reference ICL loop's stopping point (its `best_score == 5 * aspects`),
 * whatever the reward aggregates (a mean, or the ICL critic's sum). "N/A" is not a 5.
 */
export function isPerfect(evaluation: Evaluation | undefined): boolean {
  return evaluation?.ok === true && evaluation.scores.length > 0 && evaluation.scores.every((s) => s.score === 5);
}

export function nodeScore(node: SearchNode, ranking: Ranking): number | null {
  if (node.reward === null) return null;
  if (ranking === 'last' || node.pathRewards.length === 0) return node.reward;
  return node.pathRewards.reduce((a, b) => a + b, 0) / node.pathRewards.length;
}

/**
 * Best first; unscored nodes last (they are never given a number). The sort is stable, so ties
 * keep generation order (parent order, then sample order), as Python's sort does in the reference.
 */
export function rankNodes(nodes: readonly SearchNode[], ranking: Ranking): SearchNode[] {
  return [...nodes].sort((a, b) => {
    const sa = nodeScore(a, ranking);
    const sb = nodeScore(b, ranking);
    if (sa === null || sb === null) return sa === null ? (sb === null ? 0 : 1) : -1;
    return sb - sa;
  });
}
