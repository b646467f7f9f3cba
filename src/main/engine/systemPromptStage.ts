// Algorithm 2: system-prompt optimization. A state is a system prompt; evaluating it means the
// base model answers the level's seed query under the prompt plus the K most similar ICL
// examples, and the judge scores that answer on the query's selected aspects.
import type { CallLedger } from '../llm/callLedger.js';
import type { RoleClient } from '../llm/roleClient.js';
import type { RoleCounts } from './costEstimate.js';
import type { EngineEvents } from './events.js';
import { assemblePrompt, cleanAnswer, type PromptFormat } from './promptAssembly.js';
import type { ExampleRetriever } from './retrieval/exampleRetriever.js';
import type { DynamicReward } from './rewards/dynamicReward.js';
import { type BeamOptions, beamSearch, type SearchOutcome, type SearchSpace } from './search/beamSearch.js';
import { proposeSystemPrompts } from './transitions.js';
import type { IclExample } from './types.js';

export interface SystemPromptStage {
  initialPrompt: string;
  queries: readonly string[];
  retriever: ExampleRetriever<IclExample>;
  k: number;
  format: PromptFormat;
  plan: BeamOptions;
  historySize: number;
  /** The A.5 budget depth extension must stay within; null: unlimited, as the reference. */
  budget: RoleCounts | null;
  base: RoleClient;
  optimizer: RoleClient;
  reward: DynamicReward;
  events: EngineEvents;
  ledger: CallLedger;
  promptsDir?: string;
  /** The config's `jsonTextMaxChars`: a cap on the optimizer's analysis, where the backend enforces the schema. */
  textMaxChars?: number;
}

export function optimizeSystemPrompt(stage: SystemPromptStage, signal?: AbortSignal): Promise<SearchOutcome> {
  const { reward, plan } = stage;
  // Aspect selections depend only on the query. A level's is asked as the level starts, beside its
  // rewrites (the root's beside its generation), so it is ready for the level's judgments without
  // taking a slot from a generation: all D asked at start-up queued ahead of the root's generation
  // whenever fewer than D + 1 requests may be in flight (auto starts at 2), and made one cold burst
  // of D + 1 requests otherwise.
  const levels = Math.min(plan.depth, stage.queries.length);
  const selectionFor = (query: string) => {
    const selection = reward.select(query, signal);
    selection.catch(() => undefined); // awaited where it is used; a failure fails that node
    return selection;
  };
  const usedQueries = new Set(stage.queries.slice(0, levels));
  // Every node of a level answers the level's query, so its K examples are retrieved once per
  // query, as Algorithm 2 does before its beam loop (not once per node: a BM25 search over long
  // queries, or an embedding call, is engine time on the critical path). A failure is not kept.
  const retrieved = new Map<string, Promise<IclExample[]>>();
  const examplesFor = (query: string): Promise<IclExample[]> => {
    let examples = retrieved.get(query);
    if (!examples) {
      examples = stage.retriever.topK(query, stage.k);
      retrieved.set(query, examples);
      examples.catch(() => retrieved.delete(query));
    }
    return examples;
  };

  const space: SearchSpace = {
    queryAt: (level) => stage.queries[level],
    async evaluate(node, abort) {
      const examples = await examplesFor(node.query);
      const prompt = assemblePrompt(stage.format, { systemPrompt: node.state, examples }, node.query);
      const generation = stage.base.generate(prompt.input, { stop: prompt.stop, rolloutId: node.id, signal: abort });
      const selection = selectionFor(node.query);
      const [text] = await generation;
      const output = cleanAnswer(stage.format, text ?? '');
      return {
        output,
        evaluation: await reward.evaluate(node.query, output, await selection, { nodeId: node.id, signal: abort }),
      };
    },
    levelStarted: (_level, query) => void selectionFor(query),
    structuredReplies: (nodes) => reward.structuredReplies(nodes),
    propose: (node, samples, abort) =>
      proposeSystemPrompts(
        {
          optimizer: stage.optimizer,
          events: stage.events,
          ledger: stage.ledger,
          promptsDir: stage.promptsDir,
          textMaxChars: stage.textMaxChars,
        },
        node,
        samples,
        stage.historySize,
        abort,
      ),
    extensionRefused({ evaluations, proposals, newQuery }) {
      const budget = stage.budget;
      if (!budget) return null;
      if (evaluations > budget.base || evaluations > budget.judge)
        return `another level could exceed the A.5 budget of ${budget.base} generations`;
      if (proposals > budget.optimizer)
        return `another level could exceed the A.5 budget of ${budget.optimizer} optimizer samples`;
      if (!usedQueries.has(newQuery) && !reward.selectionIsFree(newQuery) && usedQueries.size + 1 > budget.selector) {
        return `a new seed query would exceed the A.5 budget of ${budget.selector} aspect selections`;
      }
      usedQueries.add(newQuery);
      return null;
    },
  };
  return beamSearch(stage.initialPrompt, space, plan, stage.events, signal);
}
