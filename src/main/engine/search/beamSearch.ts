// Beam search over states (Algorithms 1 and 2 of the paper, as the reference code runs them).
// Level 0 evaluates the initial state on the first query. Each further level expands every beam
// state: a state whose reward is above the carry-over threshold moves on unchanged (and the depth
// may grow by one), any other gets M successors from the optimizer; every child is evaluated on
// the level's query, and the best W by rank form the next beam. Depth D counts evaluated levels,
// the root's included. Within a level all expansions and evaluations run concurrently; only beam
// selection waits for the whole level.
import { ModelCallError } from '../../../plugins/contract.js';
import type { EngineEvents } from '../events.js';
import type { Evaluation } from '../types.js';
import {
  applyEvaluation,
  childNode,
  nodeScore,
  type Ranking,
  rankNodes,
  rootNode,
  type SearchNode,
} from './searchNode.js';

export interface BeamOptions {
  width: number;
  samples: number;
  depth: number;
  ranking: Ranking;
  /** Carry a state over unchanged when its reward is above this (reference: 4.5); null: never. */
  carryOverAbove: number | null;
  /** Most levels a carry-over may add to the depth (reference: 10). */
  maxDepthIncrease: number;
  /** Stop once a node reaches this reward (the ICL stage stops at a perfect score); null: never. */
  stopAtReward: number | null;
  /** 'top-of-beam': the best of the final beam (system prompt); 'best-seen': the best node evaluated (ICL). */
  result: 'top-of-beam' | 'best-seen';
  /** Prefix of node ids, so several searches can share one log. */
  idPrefix: string;
}

export interface SearchSpace {
  /** The query of a level, or undefined once the seed queries are exhausted. */
  queryAt(level: number): string | undefined;
  /** The state's output on its query (the base model's answer, or the state itself) and its judgment. */
  evaluate(node: SearchNode, signal?: AbortSignal): Promise<{ output: string; evaluation: Evaluation }>;
  /** Successor states from the node's feedback: at most `samples`, fewer when replies were unusable. */
  propose(node: SearchNode, samples: number, signal?: AbortSignal): Promise<string[]>;
  /** Whether growing the depth by one level keeps the run within its call budget; a reason when not. */
  extensionRefused?(worstCase: { evaluations: number; proposals: number; newQuery: string }): string | null;
  /** Level `level` (≥ 1) has asked for its rewrites: the moment to fetch what its evaluations will need. */
  levelStarted?(level: number, query: string): void;
}

export interface SearchOutcome {
  best: SearchNode;
  beam: SearchNode[];
  nodes: SearchNode[];
  depth: number;
}

function rethrowIfAborted(error: unknown): void {
  if (error instanceof ModelCallError && error.kind === 'aborted') throw error;
}

export async function beamSearch(
  initialState: string,
  space: SearchSpace,
  options: BeamOptions,
  events: EngineEvents,
  signal?: AbortSignal,
): Promise<SearchOutcome> {
  const nodes: SearchNode[] = [];
  let evaluations = 0;
  let proposals = 0;

  const evaluate = async (node: SearchNode): Promise<SearchNode> => {
    nodes.push(node);
    evaluations += 1;
    events.emit({
      type: 'node',
      id: node.id,
      parentId: node.parentId,
      level: node.level,
      state: node.state,
      action: node.action,
      query: node.query,
    });
    try {
      const { output, evaluation } = await space.evaluate(node, signal);
      applyEvaluation(node, output, evaluation);
      events.emit({
        type: 'node-evaluated',
        id: node.id,
        output,
        evaluation,
        reward: node.reward,
        score: nodeScore(node, options.ranking),
      });
    } catch (error) {
      rethrowIfAborted(error);
      events.emit({ type: 'node-failed', id: node.id, error: (error as Error).message });
    }
    return node;
  };

  const firstQuery = space.queryAt(0);
  if (firstQuery === undefined) throw new Error('the search needs at least one query');
  const root = await evaluate(rootNode(`${options.idPrefix}0`, initialState, firstQuery));
  let beam = [root];
  events.emit({ type: 'beam', level: 0, ids: [root.id] });
  let depth = options.depth;

  for (let level = 1; level < depth; level++) {
    const query = space.queryAt(level);
    if (query === undefined) break;
    if (options.stopAtReward !== null && nodes.some((n) => n.reward !== null && n.reward >= options.stopAtReward!))
      break;
    let carried = false;
    const expanding = Promise.all(
      beam.map(async (parent) => {
        // Without feedback (an unscored parent) the optimizer has nothing to act on: carry over.
        const carry =
          parent.reward === null || (options.carryOverAbove !== null && parent.reward > options.carryOverAbove);
        if (carry && parent.reward !== null) carried = true;
        let states: string[];
        if (carry) {
          // Carrying a state to the same query again (the ICL stage's fixed query) would only repeat its judgment.
          states = query === parent.query ? [] : [parent.state];
        } else {
          proposals += options.samples;
          try {
            states = await space.propose(parent, options.samples, signal);
          } catch (error) {
            rethrowIfAborted(error);
            states = [];
          }
        }
        return Promise.all(
          states.map((state, i) => evaluate(childNode(parent, i, state, carry ? 'carry-over' : 'rewrite', query))),
        );
      }),
    );
    space.levelStarted?.(level, query);
    const candidates = (await expanding).flat();
    if (candidates.length > 0) beam = rankNodes(candidates, options.ranking).slice(0, options.width);
    events.emit({ type: 'beam', level, ids: beam.map((n) => n.id) });

    if (carried && depth < options.depth + options.maxDepthIncrease) {
      const newQuery = space.queryAt(depth);
      const levelsLeft = depth - level; // levels still to run once the depth grows by one
      const refusal =
        newQuery === undefined
          ? 'no seed query is left for another level'
          : (space.extensionRefused?.({
              evaluations: evaluations + levelsLeft * options.width * options.samples,
              proposals: proposals + levelsLeft * options.width * options.samples,
              newQuery,
            }) ?? null);
      if (refusal === null) {
        depth += 1;
        events.emit({ type: 'depth-extended', level, depth });
      } else {
        events.emit({ type: 'depth-extension-skipped', level, reason: refusal });
      }
    }
  }

  const best = options.result === 'top-of-beam' ? beam[0]! : bestSeen(nodes);
  return { best, beam, nodes, depth };
}

/** The best reward seen; ties go to the later node, as the reference ICL loop keeps `>=` improvements. */
function bestSeen(nodes: readonly SearchNode[]): SearchNode {
  let best = nodes[0]!;
  for (const node of nodes) {
    if (node.reward !== null && (best.reward === null || node.reward >= best.reward)) best = node;
  }
  return best;
}
