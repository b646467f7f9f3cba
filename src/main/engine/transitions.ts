// The transition T(s, a) of section 3.2: the optimizer rewrites a state from its feedback.
// System prompts use appendix E.2 (with the last few prompt versions); ICL answers use the
// project's ICL transition prompt (the reference's optimizer instructions, answer in <START>/<END>). Unusable replies are recorded as parse failures and give no
// successor; they never end the run (the reference stops the whole run there).

import type { CallLedger } from '../llm/callLedger.js';
import type { RoleClient } from '../llm/roleClient.js';
import { askForJson, textSchema } from '../llm/structuredCall.js';
import type { Interpretation } from '../llm/structuredOutput.js';
import type { EngineEvents } from './events.js';
import { fillTemplate, loadMetaPrompt, repairMessageFor } from './metaPrompts.js';
import type { Proposal, SearchNode } from './search/searchNode.js';
import type { Evaluation } from './types.js';

/** An ICL answer's <START>/<END> markers (the ICL transition prompt asks for them, as the reference does). */
export function withoutAnswerMarkers(text: string): string {
  return text
    .replace(/^\s*<START>[^\S\n]*\n?/, '')
    .replace(/\n?[^\S\n]*<END>\s*$/, '')
    .trim();
}

function fieldReader(field: string, clean: (text: string) => string = (t) => t) {
  return (value: unknown): Interpretation<Proposal> => {
    const reply = value as Record<string, unknown> | null;
    const raw = reply?.[field];
    // Some models double-escape newlines inside JSON strings (the reference code undoes it too).
    const text = typeof raw === 'string' ? clean(raw.replace(/\\n/g, '\n').trim()) : '';
    if (!text) return { ok: false, error: `"${field}" is missing or empty` };
    // The reasoning is kept for the record (the node inspector shows it); a reply without it still proposes its state.
    const reasoning = (key: 'analysis' | 'thought') => {
      const given = reply?.[key];
      return typeof given === 'string' && given.trim() ? { [key]: given.trim() } : {};
    };
    return { ok: true, value: { state: text, ...reasoning('analysis'), ...reasoning('thought') } };
  };
}

/** The judge's feedback as the optimizer sees it: aspect → {rationale, score}, as in the reference. */
export function feedbackJson(evaluation: Evaluation | undefined): string {
  if (!evaluation?.ok) return '{}';
  return JSON.stringify(
    Object.fromEntries(evaluation.scores.map((s) => [s.aspect, { rationale: s.rationale, score: s.score ?? 'N/A' }])),
    null,
    4,
  );
}

export function formerPrompts(history: readonly string[], keep: number): string {
  const recent = history.slice(-keep);
  const current = recent[recent.length - 1] ?? '';
  const earlier = recent.slice(0, -1).map((p, i) => `---Version ${i + 1}---\n${p}`);
  return [...earlier, `---Current Version---\n${current}`].join('\n');
}

export interface TransitionContext {
  optimizer: RoleClient;
  events: EngineEvents;
  ledger: CallLedger;
  promptsDir?: string;
  /** Longest analysis or thought where the backend enforces the schema (`jsonTextMaxChars`); absent: none, as the reference. */
  textMaxChars?: number;
}

async function propose(
  ctx: TransitionContext,
  node: SearchNode,
  prompt: string,
  field: string,
  samples: number,
  signal?: AbortSignal,
  clean?: (text: string) => string,
): Promise<Proposal[]> {
  // The analysis is where the optimizer works through the feedback: uncapped unless the config says.
  const reasoningField = textSchema(ctx.textMaxChars);
  const schema = {
    type: 'object',
    properties: { analysis: reasoningField, thought: reasoningField, [field]: { type: 'string' } },
    required: ['analysis', 'thought', field],
  };
  const outcomes = await askForJson(
    ctx.optimizer,
    {
      prompt,
      jsonSchema: schema,
      interpret: fieldReader(field, clean),
      repairMessage: repairMessageFor(`{"analysis": "...", "thought": "...", "${field}": "..."}`, ctx.promptsDir),
      rolloutId: `${node.id}:transition`,
      signal,
    },
    samples,
  );
  const states: Proposal[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      states.push(outcome.value);
    } else {
      ctx.ledger.recordParseFailure('optimizer');
      ctx.events.emit({
        type: 'parse-failure',
        role: 'optimizer',
        purpose: 'transition',
        error: outcome.error,
        raw: outcome.raw,
        nodeId: node.id,
      });
    }
  }
  return states;
}

export function proposeSystemPrompts(
  ctx: TransitionContext,
  node: SearchNode,
  samples: number,
  historySize: number,
  signal?: AbortSignal,
): Promise<Proposal[]> {
  const prompt = fillTemplate(loadMetaPrompt('system-prompt-transition', ctx.promptsDir), {
    CURRENT_SYSTEM_PROMPT: node.state,
    QUERY: node.query,
    OUTPUT: node.output ?? '',
    OUTPUT_EVALUATION: feedbackJson(node.evaluation),
    FORMER_SYSTEM_PROMPTS: formerPrompts(node.history, historySize),
  });
  return propose(ctx, node, prompt, 'new_system_prompt', samples, signal);
}

export function proposeIclAnswers(
  ctx: TransitionContext,
  node: SearchNode,
  samples: number,
  signal?: AbortSignal,
): Promise<Proposal[]> {
  const prompt = fillTemplate(loadMetaPrompt('icl-transition', ctx.promptsDir), {
    QUERY: node.query,
    CURRENT_ANSWER: node.state,
    OUTPUT_EVALUATION: feedbackJson(node.evaluation),
  });
  return propose(ctx, node, prompt, 'new_answer', samples, signal, withoutAnswerMarkers);
}
