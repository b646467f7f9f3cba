// The reward R of section 3.2.1: the aspect selector picks the aspects that matter for a query
// (or a fixed set, for static rewarding; or a published selection, imported), the judge scores an
// output on them by their rubrics, the reward is the mean. Evaluation and feedback come from the
// same judge call. The ICL stage's critic is the same machinery with its own two templates.

import type { CallLedger } from '../../llm/callLedger.js';
import type { RoleClient } from '../../llm/roleClient.js';
import { askForJson } from '../../llm/structuredCall.js';
import { enabledAspects, renderAspectList } from '../aspects.js';
import type { EngineEvents } from '../events.js';
import { fillTemplate, loadMetaPrompt, type MetaPromptName, repairMessageFor } from '../metaPrompts.js';
import type { AspectCatalog, AspectSelection, Evaluation } from '../types.js';
import { type ImportedSelections, shortQuery } from './importedSelections.js';
import { evalDictTemplate, interpretJudgeReply, judgeSchema } from './judgeReply.js';
import { ReplyRecord, type RoleReplies } from './replyRecord.js';
import { interpretSelectionReply, type SelectionRules, selectionSchema } from './selectionReply.js';

/** The selector's and the judge's templates. */
export interface RewardTemplates {
  selection: Extract<MetaPromptName, 'aspect-selection' | 'icl-aspect-selection'>;
  reward: Extract<MetaPromptName, 'reward' | 'icl-reward'>;
}

/** Appendix E.1 and E.1.2: the system-prompt stage's (and the ICL stage's with `iclJudge: 'reward'`). */
export const REWARD_TEMPLATES: RewardTemplates = { selection: 'aspect-selection', reward: 'reward' };

export interface RewardOptions extends SelectionRules {
  mode: 'dynamic' | 'static';
  catalog: AspectCatalog;
  promptsDir?: string;
  /** Default REWARD_TEMPLATES. */
  templates?: RewardTemplates;
  /** Published selections: a query found there is not asked of the selector. */
  imported?: ImportedSelections;
}

/** The selector's prompt for a query (appendix E.1.2): every enabled aspect's short description. */
export function selectionPrompt(options: RewardOptions, query: string): string {
  const templates = options.templates ?? REWARD_TEMPLATES;
  return fillTemplate(loadMetaPrompt(templates.selection, options.promptsDir), {
    ASPECT_LIST: renderAspectList(
      options.catalog,
      enabledAspects(options.catalog).map((a) => a.name),
    ),
    QUERY: query,
  });
}

/** The judge's prompt for an output (appendix E.1.1): the selected aspects' rubrics and the selector's reasoning. */
export function judgementPrompt(
  options: RewardOptions,
  query: string,
  output: string,
  selection: Pick<AspectSelection, 'aspects' | 'reasoning'>,
): string {
  const templates = options.templates ?? REWARD_TEMPLATES;
  return fillTemplate(loadMetaPrompt(templates.reward, options.promptsDir), {
    QUERY: query,
    OUTPUT: output,
    ASPECT_LIST: renderAspectList(options.catalog, selection.aspects, 'judge'),
    ASPECT_REASON: selection.reasoning,
    EVAL_DICT: evalDictTemplate(selection.aspects),
  });
}

const STATIC_REASON = 'Static rewarding: the same fixed aspects are used for every query.';

export class DynamicReward {
  private readonly selections = new Map<string, Promise<AspectSelection>>();
  private readonly replies = new ReplyRecord();
  /** Queries whose selection came from the imported file. */
  private readonly importedUsed = new Set<string>();

  constructor(
    private readonly options: RewardOptions,
    private readonly roles: { selector: RoleClient; judge: RoleClient },
    private readonly events: EngineEvents,
    private readonly ledger: CallLedger,
  ) {}

  /** What the imported selections file gave this run (absent without one), for result.json. */
  importSummary(): { importedSelections: { file: string; used: number; unusable: number } } | undefined {
    const imported = this.options.imported;
    if (!imported) return undefined;
    return {
      importedSelections: { file: imported.file, used: this.importedUsed.size, unusable: imported.unusable.length },
    };
  }

  /** The selector's and judge's replies for these nodes, per role, with the backend that gave them. */
  structuredReplies(nodes: readonly { id: string; query: string }[]): (RoleReplies & { backend: string })[] {
    return this.replies.forNodes(nodes).map((r) => ({ ...r, backend: this.roles[r.role].backend.name }));
  }

  /** Would selecting aspects for this query cost a call? (Static rewarding, imported and cached selections don't.) */
  selectionIsFree(query: string): boolean {
    if (this.options.mode === 'static' || this.selections.has(query)) return true;
    if (this.options.imported?.find(query)) return true;
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
    return {
      prompt: selectionPrompt(this.options, query),
      jsonSchema: selectionSchema(this.options.catalog, this.options),
    };
  }

  private staticSelection(source: 'static' | 'fallback', reasoning: string): AspectSelection {
    return { aspects: [...this.options.catalog.staticAspects], reasoning, source };
  }

  private async fetchSelection(query: string, signal?: AbortSignal): Promise<AspectSelection> {
    if (this.options.mode === 'static') return this.staticSelection('static', STATIC_REASON);
    const imported = this.options.imported?.find(query);
    if (imported) {
      this.importedUsed.add(query);
      const selection: AspectSelection = { ...imported, source: 'imported' };
      this.events.emit({ type: 'selection', query, selection });
      return selection;
    }
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
      // The query still has to be judged: fall back to the static set, visibly (counted, logged and warned).
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
      this.events.emit({
        type: 'warning',
        message: `the aspect selector's reply for the query "${shortQuery(query)}" could not be used (${error}); the static aspects (${selection.aspects.join(', ')}) stand in for it`,
      });
    }
    this.events.emit({ type: 'selection', query, selection });
    return selection;
  }

  /**
   * Judges one output; a reply that stays unusable is an Evaluation failure, never a score. The
   * judge reads each aspect's rubric. The reward is the mean of the aspect scores; the reference's
   * ICL critic sums them instead, which ranks one example's answers identically, since an
   * example's aspects are fixed for all its answers.
   */
  async evaluate(
    query: string,
    output: string,
    selection: Pick<AspectSelection, 'aspects' | 'reasoning'>,
    context: { nodeId: string; signal?: AbortSignal },
  ): Promise<Evaluation> {
    const prompt = judgementPrompt(this.options, query, output, selection);
    const [outcome] = await askForJson(
      this.roles.judge,
      {
        prompt,
        jsonSchema: judgeSchema(selection.aspects, this.options.textMaxChars),
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
