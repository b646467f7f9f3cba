// Beam search over states (Algorithms 1 and 2 of the paper, as the reference code runs them).
// Level 0 evaluates the initial state on the first query. Each further level expands every beam
// state: a state whose reward is above the carry-over threshold (or that has no reward) moves on
// unchanged, any other gets M successors from the optimizer; every child is evaluated on the
// level's query, and the best W by rank form the next beam. Depth D counts evaluated levels, the
// root's included. As in the reference, a level that carries a state over grows the depth by one
// as it starts (once per level, however many states it carries), up to D + maxDepthIncrease.
// Within a level all expansions and evaluations run concurrently; only beam selection waits for
// the whole level, and for the one retry of what failed on the backend's side (levelFailures.ts):
// a level is ranked whole, or from what is left of it only when the beam event says what is missing.
import { ModelCallError } from '../../../plugins/contract.js';
import type { EngineEvents, PartialLevel } from '../events.js';
import type { Evaluation } from '../types.js';
import { assertRepliesUsable, backendFailure, type LevelReplies, LevelUnfinishedError } from './levelFailures.js';
import {
  applyEvaluation,
  childNode,
  isPerfect,
  nodeScore,
  type Proposal,
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
  /**
   * Stop after a level of rewrites once a state evaluated so far scored 5 on every aspect (the ICL
   * stage, as the reference's loop: the check follows a rewrite, so a perfect initial state still gets one).
   */
  stopWhenPerfect: boolean;
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
  propose(node: SearchNode, samples: number, signal?: AbortSignal): Promise<Proposal[]>;
  /** Whether growing the depth by one level keeps the run within its call budget; a reason when not. */
  extensionRefused?(worstCase: { evaluations: number; proposals: number; newQuery: string }): string | null;
  /** The structured replies (aspect selections, judgments) the nodes' evaluations asked for, per role. */
  structuredReplies?(nodes: readonly SearchNode[]): LevelReplies[];
  /** Level `level` (≥ 1) has asked for its rewrites: the moment to fetch what its evaluations will need. */
  levelStarted?(level: number, query: string): void;
}

export interface SearchOutcome {
  best: SearchNode;
  beam: SearchNode[];
  nodes: SearchNode[];
  depth: number;
  /** Nodes left without a reward because their evaluation failed for good. */
  failedNodes: string[];
  /** Beam nodes whose rewrite failed for good (their successors were never made). */
  failedProposals: string[];
  /** Levels ranked without a judgement of every node they should have had. */
  partialLevels: (PartialLevel & { level: number })[];
}

function rethrowIfAborted(error: unknown): void {
  if (error instanceof ModelCallError && error.kind === 'aborted') throw error;
}

/**
 * One level's calls: each failure is kept with its cause until the level's one retry
 * (levelFailures.ts); what still fails afterwards either stops the search or is named in `partial`.
 */
class LevelWork {
  readonly children = new Map<SearchNode, SearchNode[]>();
  readonly failedEvaluations = new Map<SearchNode, unknown>();
  readonly failedProposals = new Map<SearchNode, unknown>();

  constructor(readonly level: number) {}

  /** The work that failed for the backend's sake: evaluations, then the parents whose rewrite failed. */
  backendFailures(): { evaluations: SearchNode[]; proposals: SearchNode[] } {
    const failing = (map: Map<SearchNode, unknown>) => [...map].filter(([, e]) => backendFailure(e)).map(([n]) => n);
    return { evaluations: failing(this.failedEvaluations), proposals: failing(this.failedProposals) };
  }

  /** Throws when failures of the backend remain: a level is never ranked from what is left of it then. */
  assertFinished(): void {
    const failures = [...this.failedEvaluations.values(), ...this.failedProposals.values()].flatMap(
      (e) => backendFailure(e) ?? [],
    );
    if (failures.length > 0) throw new LevelUnfinishedError(this.level, failures);
  }

  /** What the candidates lack; undefined when every one was judged and every rewrite made. */
  partial(candidates: readonly SearchNode[]): PartialLevel | undefined {
    const partial: PartialLevel = {
      failed: candidates.filter((n) => this.failedEvaluations.has(n)).map((n) => n.id),
      unjudged: candidates.filter((n) => n.evaluation?.ok === false).map((n) => n.id),
      unexpanded: [...this.failedProposals.keys()].map((n) => n.id),
    };
    return partial.failed.length + partial.unjudged.length + partial.unexpanded.length > 0 ? partial : undefined;
  }
}

export async function beamSearch(
  initialState: string,
  space: SearchSpace,
  options: BeamOptions,
  events: EngineEvents,
  signal?: AbortSignal,
): Promise<SearchOutcome> {
  const nodes: SearchNode[] = [];
  const failedNodes: string[] = [];
  const failedProposals: string[] = [];
  const partialLevels: SearchOutcome['partialLevels'] = [];
  let evaluations = 0;
  let proposals = 0;

  const create = (node: SearchNode): SearchNode => {
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
      ...(node.analysis === undefined ? {} : { analysis: node.analysis }),
      ...(node.thought === undefined ? {} : { thought: node.thought }),
    });
    return node;
  };

  const evaluate = async (work: LevelWork, node: SearchNode): Promise<void> => {
    try {
      const { output, evaluation } = await space.evaluate(node, signal);
      applyEvaluation(node, output, evaluation);
      work.failedEvaluations.delete(node);
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
      work.failedEvaluations.set(node, error);
      events.emit({ type: 'node-failed', id: node.id, error: (error as Error).message });
    }
  };

  /** The parent's successors (a rewrite, or the parent carried over), each evaluated on the level's query. */
  const expand = async (work: LevelWork, parent: SearchNode, carry: boolean, query: string): Promise<void> => {
    let states: Proposal[];
    if (carry) {
      // Carrying a state to the same query again (the ICL stage's fixed query) would only repeat its judgment.
      states = query === parent.query ? [] : [{ state: parent.state }];
    } else {
      try {
        states = await space.propose(parent, options.samples, signal);
        work.failedProposals.delete(parent);
      } catch (error) {
        rethrowIfAborted(error);
        work.failedProposals.set(parent, error);
        events.emit({ type: 'proposal-failed', id: parent.id, error: (error as Error).message });
        return;
      }
    }
    const children = states.map((proposal, i) =>
      create(childNode(parent, i, proposal, carry ? 'carry-over' : 'rewrite', query)),
    );
    work.children.set(parent, children);
    await Promise.all(children.map((child) => evaluate(work, child)));
  };

  /**
   * Once the level's other calls are done, what failed for the backend's sake is asked once more
   * (a server back from a short outage serves it): the evaluations, and the rewrites, whose new
   * successors are then evaluated once. Finished calls come from the cache, so nothing is paid twice.
   */
  const retryOnce = async (work: LevelWork, query: string): Promise<void> => {
    const { evaluations: failed, proposals: unexpanded } = work.backendFailures();
    await Promise.all([
      ...failed.map((node) => evaluate(work, node)),
      ...unexpanded.map((parent) => expand(work, parent, false, query)),
    ]);
    work.assertFinished();
  };

  /** Keeps what the level lacks for the outcome, and says so in its beam event. */
  const emitBeam = (work: LevelWork, candidates: readonly SearchNode[], beam: readonly SearchNode[]): void => {
    const partial = work.partial(candidates);
    failedNodes.push(...(partial?.failed ?? []));
    failedProposals.push(...(partial?.unexpanded ?? []));
    if (partial) partialLevels.push({ level: work.level, ...partial });
    events.emit({ type: 'beam', level: work.level, ids: beam.map((n) => n.id), ...(partial ? { partial } : {}) });
  };

  const firstQuery = space.queryAt(0);
  if (firstQuery === undefined) throw new Error('the search needs at least one query');
  const rootWork = new LevelWork(0);
  const root = create(rootNode(`${options.idPrefix}0`, initialState, firstQuery));
  await evaluate(rootWork, root);
  await retryOnce(rootWork, firstQuery);
  assertRepliesUsable(0, space.structuredReplies?.([root]) ?? []);
  let beam = [root];
  // The top of the latest beam that had a judged node: the result when a later level judged none.
  let judgedTop = root.reward !== null ? root : undefined;
  emitBeam(rootWork, [root], beam);
  let depth = options.depth;

  /**
   * Whether the depth may grow by one as `level` starts, given which of its parents are carried
   * over: the event says why not when it may not.
   */
  const extend = (level: number, carries: readonly boolean[]): boolean => {
    const newQuery = space.queryAt(depth);
    // The worst case of the extended search: this level's own calls (a carried parent makes one
    // child, a rewritten one M), then up to W·M evaluations and samples on each level after it.
    const rewritten = carries.filter((carry) => !carry).length;
    const later = (depth - level) * options.width * options.samples;
    const refusal =
      newQuery === undefined
        ? 'no seed query is left for another level'
        : (space.extensionRefused?.({
            evaluations: evaluations + (carries.length - rewritten) + rewritten * options.samples + later,
            proposals: proposals + rewritten * options.samples + later,
            newQuery,
          }) ?? null);
    if (refusal === null) events.emit({ type: 'depth-extended', level, depth: depth + 1 });
    else events.emit({ type: 'depth-extension-skipped', level, reason: refusal });
    return refusal === null;
  };

  for (let level = 1; level < depth; level++) {
    const query = space.queryAt(level);
    if (query === undefined) break;
    if (options.stopWhenPerfect && level > 1 && nodes.some((n) => isPerfect(n.evaluation))) break;
    // Without feedback (an unscored parent) the optimizer has nothing to act on: carry over, as the
    // reference does with a judgement it could not parse.
    const carries = beam.map(
      (parent) => parent.reward === null || (options.carryOverAbove !== null && parent.reward > options.carryOverAbove),
    );
    if (carries.some(Boolean) && depth < options.depth + options.maxDepthIncrease && extend(level, carries)) depth += 1;
    const work = new LevelWork(level);
    const expanding = Promise.all(
      beam.map((parent, i) => {
        if (!carries[i]) proposals += options.samples;
        return expand(work, parent, carries[i]!, query);
      }),
    );
    space.levelStarted?.(level, query);
    await expanding;
    await retryOnce(work, query);
    // Generation order (parent order, then sample order), whatever order the calls ended in: ties keep it.
    const candidates = beam.flatMap((parent) => work.children.get(parent) ?? []);
    assertRepliesUsable(level, space.structuredReplies?.(candidates) ?? []);
    if (candidates.length > 0) beam = rankNodes(candidates, options.ranking).slice(0, options.width);
    if (beam[0]!.reward !== null) judgedTop = beam[0];
    emitBeam(work, candidates, beam);
  }

  // Never an unjudged prompt while a judged one exists: a last level that judged none leaves the result to the latest that did.
  const best =
    options.result === 'top-of-beam'
      ? beam[0]!.reward !== null
        ? beam[0]!
        : (judgedTop ?? beam[0]!)
      : bestSeen(nodes);
  return { best, beam, nodes, depth, failedNodes, failedProposals, partialLevels };
}

/** The best reward seen; ties go to the later node, as the reference ICL loop keeps `>=` improvements. */
function bestSeen(nodes: readonly SearchNode[]): SearchNode {
  let best = nodes[0]!;
  for (const node of nodes) {
    if (node.reward !== null && (best.reward === null || node.reward >= best.reward)) best = node;
  }
  return best;
}
