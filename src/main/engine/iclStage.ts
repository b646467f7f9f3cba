// Algorithm 1: ICL example optimization. For each example (q, b) the state is its answer,
// starting from b; the judge scores the answer itself on q's selected aspects and the optimizer
// rewrites it from that feedback. Examples are independent, so they are searched concurrently.
import type { CallLedger } from '../llm/callLedger.js';
import type { RoleClient } from '../llm/roleClient.js';
import type { EngineEvents } from './events.js';
import type { DynamicReward } from './rewards/dynamicReward.js';
import { type BeamOptions, beamSearch, type SearchOutcome } from './search/beamSearch.js';
import { proposeIclAnswers } from './transitions.js';
import type { IclExample } from './types.js';

export interface IclStage {
  examples: readonly IclExample[];
  /** Plan for one example; its id prefix is replaced per example. */
  plan: BeamOptions;
  optimizer: RoleClient;
  reward: DynamicReward;
  events: EngineEvents;
  ledger: CallLedger;
  promptsDir?: string;
  /** The config's `jsonTextMaxChars`: a cap on the optimizer's analysis, where the backend enforces the schema. */
  textMaxChars?: number;
}

export interface IclOutcome {
  example: IclExample;
  optimized: IclExample;
  search: SearchOutcome;
}

export function iclNodePrefix(index: number): string {
  return `e${index}:`;
}

export async function optimizeIclExamples(stage: IclStage, signal?: AbortSignal): Promise<IclOutcome[]> {
  const transition = {
    optimizer: stage.optimizer,
    events: stage.events,
    ledger: stage.ledger,
    promptsDir: stage.promptsDir,
    textMaxChars: stage.textMaxChars,
  };
  // Each example's search runs to its end (or its own stop) before a failure is passed on: work
  // another example finishes meanwhile is kept, and no call is left running behind the failure.
  const settled = await Promise.allSettled(
    stage.examples.map(async (example, index) => {
      const search = await beamSearch(
        example.answer,
        {
          queryAt: () => example.query,
          async evaluate(node, abort) {
            const selection = await stage.reward.select(example.query, abort);
            return {
              output: node.state,
              evaluation: await stage.reward.evaluate(example.query, node.state, selection, {
                nodeId: node.id,
                signal: abort,
              }),
            };
          },
          propose: (node, samples, abort) => proposeIclAnswers(transition, node, samples, abort),
          structuredReplies: (nodes) => stage.reward.structuredReplies(nodes),
        },
        { ...stage.plan, idPrefix: iclNodePrefix(index) },
        stage.events,
        signal,
      );
      return { example, optimized: { ...example, answer: search.best.state }, search };
    }),
  );
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}
