// The reward R of section 3.2.1: the aspect selector picks the aspects that matter for a query
// (or a fixed set, for static rewarding), the judge scores an output on them, the reward is the
// mean. Evaluation and feedback come from the same judge call.

import type { CallLedger } from '../../llm/callLedger.js';
import type { RoleClient } from '../../llm/roleClient.js';
import { askForJson } from '../../llm/structuredCall.js';
import { enabledAspects, renderAspectList } from '../aspects.js';
import type { EngineEvents } from '../events.js';
import { fillTemplate, loadMetaPrompt, repairMessageFor } from '../metaPrompts.js';
import type { AspectCatalog, AspectSelection, Evaluation } from '../types.js';
import { evalDictTemplate, interpretJudgeReply, judgeSchema } from './judgeReply.js';
import { ReplyRecord, type RoleReplies } from './replyRecord.js';
import { interpretSelectionReply, type SelectionRules, selectionSchema } from './selectionReply.js';

export interface RewardOptions extends SelectionRules {
  mode: 'dynamic' | 'static';
  catalog: AspectCatalog;
  promptsDir?: string;
}

const STATIC_REASON = 'Static rewarding: the same fixed aspects are used for every query.';

export class DynamicReward {
  private readonly selections = new Map<string, Promise<AspectSelection>>();
  private readonly replies = new ReplyRecord();

  constructor(
    private readonly options: RewardOptions,
    private readonly roles: { selector: RoleClient; judge: RoleClient },
    private readonly events: EngineEvents,
    private readonly ledger: CallLedger,
  ) {}

  /** The selector's and judge's replies for these nodes, per role, with the backend that gave them. */
  structuredReplies(nodes: readonly { id: string; query: string }[]): (RoleReplies & { backend: string })[] {
    return this.replies.forNodes(nodes).map((r) => ({ ...r, backend: this.roles[r.role].backend.name }));
  }

  /** Would selecting aspects for this query cost a call? (Static rewarding and cached selections don't.) */
  selectionIsFree(query: string): boolean {
    if (this.options.mode === 'static' || this.selections.has(query)) return true;
    const { prompt, jsonSchema } = this.selectionCall(query);
    return this.roles.selector.isCached(
      { kind: 'chat', messages: [{ role: 'user', content: prompt }] },
      { jsonSchema },
    );
  }

  /**
   * Memoised per query: one selection per query per run, whoever asks first. A failed call is not
   * kept: the level's retry (and a resumed run) must be able to ask again.
   */
  select(query: string, signal?: AbortSignal): Promise<AspectSelection> {
    let pending = this.selections.get(query);
    if (!pending) {
      const fetching = this.fetchSelection(query, signal);
      fetching.catch(() => {
        if (this.selections.get(query) === fetching) this.selections.delete(query);
      });
      pending = fetching;
      this.selections.set(query, pending);
    }
    return pending;
  }

  private selectionCall(query: string) {
    const prompt = fillTemplate(loadMetaPrompt('aspect-selection', this.options.promptsDir), {
      ASPECT_LIST: renderAspectList(
        this.options.catalog,
        enabledAspects(this.options.catalog).map((a) => a.name),
      ),
      QUERY: query,
    });
    return { prompt, jsonSchema: selectionSchema(this.options.catalog, this.options) };
  }

  private staticSelection(source: 'static' | 'fallback', reasoning: string): AspectSelection {
    return { aspects: [...this.options.catalog.staticAspects], reasoning, source };
  }

  private async fetchSelection(query: string, signal?: AbortSignal): Promise<AspectSelection> {
    if (this.options.mode === 'static') return this.staticSelection('static', STATIC_REASON);
    const { prompt, jsonSchema } = this.selectionCall(query);
    const [outcome] = await askForJson(
      this.roles.selector,
      {
        prompt,
        jsonSchema,
        interpret: (value) => interpretSelectionReply(value, this.options.catalog, this.options),
        repairMessage: repairMessageFor(
          '{"query_analysis": {...}, "aspects_selection": {"reasoning": "...", "selected_aspects": ["Aspect", ...]}}',
          this.options.promptsDir,
        ),
        signal,
      },
      1,
    );
    let selection: AspectSelection;
    this.replies.selection(query, outcome?.ok === false ? outcome.keys : null);
    if (outcome?.ok) {
      selection = { ...outcome.value, source: 'selector' };
    } else {
      // The query still has to be judged: fall back to the static set, visibly (counted and logged).
      const error = outcome?.error ?? 'no reply';
      this.ledger.recordParseFailure('selector');
      this.events.emit({
        type: 'parse-failure',
        role: 'selector',
        purpose: 'selection',
        error,
        raw: outcome?.raw ?? '',
        query,
      });
      selection = this.staticSelection(
        'fallback',
        `The aspect selector's reply could not be used (${error}); the static aspects stand in.`,
      );
    }
    this.events.emit({ type: 'selection', query, selection });
    return selection;
  }

  /** Judges one output; a reply that stays unusable is an Evaluation failure, never a score. */
  async evaluate(
    query: string,
    output: string,
    selection: AspectSelection,
    context: { nodeId: string; signal?: AbortSignal },
  ): Promise<Evaluation> {
    const prompt = fillTemplate(loadMetaPrompt('reward', this.options.promptsDir), {
      QUERY: query,
      OUTPUT: output,
      ASPECT_LIST: renderAspectList(this.options.catalog, selection.aspects),
      ASPECT_REASON: selection.reasoning,
      EVAL_DICT: evalDictTemplate(selection.aspects),
    });
    const [outcome] = await askForJson(
      this.roles.judge,
      {
        prompt,
        jsonSchema: judgeSchema(selection.aspects),
        interpret: (value) => interpretJudgeReply(value, selection.aspects),
        repairMessage: repairMessageFor(evalDictTemplate(selection.aspects), this.options.promptsDir),
        rolloutId: context.nodeId,
        signal: context.signal,
      },
      1,
    );
    this.replies.judgment(context.nodeId, outcome?.ok === false ? outcome.keys : null);
    if (outcome?.ok) return { ok: true, scores: outcome.value.scores, reward: outcome.value.reward };
    const error = outcome?.error ?? 'no reply';
    this.ledger.recordParseFailure('judge');
    this.events.emit({
      type: 'parse-failure',
      role: 'judge',
      purpose: 'judgement',
      error,
      raw: outcome?.raw ?? '',
      nodeId: context.nodeId,
    });
    return { ok: false, error: `judge reply unusable: ${error}` };
  }
}
