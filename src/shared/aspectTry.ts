// Trying reward criteria on one query before a run (README "Trying criteria on a query"): what
// the studio's Reward criteria screen and `drpo-studio aspects try` ask for, checked where it
// enters, and what comes back. The catalog travels with the request, so unsaved edits are tried.
import { z } from 'zod';
import { LIMITS } from './requestLimits.js';
import { wholeNumber } from './runConfigSchema.js';
import { PROMPT_FORMATS } from './runOptions.js';
import { isRecordKey } from './safeName.js';

/** An aspect catalog as the studio edits it (checked in full by the engine's own validation). */
export const aspectCatalogSchema = z.object({
  aspects: z
    .array(
      // description: the selector's line; rubric: the judge's (absent in catalogs older than rubrics).
      z.object({ name: z.string(), description: z.string(), rubric: z.string().optional(), enabled: z.boolean() }),
    )
    .max(LIMITS.aspects),
  staticAspects: z.array(z.string()).max(LIMITS.aspects),
});

/** A saved connection's name: a key of a JSON record, so never '__proto__'. */
const connection = z.string().min(1).refine(isRecordKey, 'expected a name other than "__proto__"');

/** Sizes a try and a probe list may have: a playground, not an experiment. */
export const ASPECT_TRY_LIMITS = { textChars: 100_000, probes: 200 } as const;

const tryText = z.string().min(1).max(ASPECT_TRY_LIMITS.textChars);

/** The answer to judge: given, or generated now by a connection under a system prompt. */
export const tryAnswerSchema = z.union([
  z.object({ text: tryText }),
  z.object({
    generate: z.object({
      connection,
      systemPrompt: z.string().max(ASPECT_TRY_LIMITS.textChars),
      promptFormat: z.enum(PROMPT_FORMATS).optional(),
      maxTokens: wholeNumber(1, LIMITS.maxTokens).optional(),
    }),
  }),
]);

export const aspectTryRequestSchema = z.object({
  /** The catalog as edited: unsaved changes included. */
  catalog: aspectCatalogSchema,
  query: tryText,
  answer: tryAnswerSchema,
  /** Aspects the user ticked: the judge scores these and the selector is not asked. */
  aspects: z.array(z.string().min(1)).min(1).max(LIMITS.aspects).optional(),
  /** Connections for the two roles; the selector is needed unless `aspects` is given. */
  selector: connection.optional(),
  judge: connection,
});

export type AspectTryRequest = z.input<typeof aspectTryRequestSchema>;

/** Calls and tokens: planned before (`worstCase` counts one repair per call), spent after. */
export interface AspectTryCost {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Dollars at the connections' prices; null where a connection has no price. */
  costUsd: number | null;
}

export interface AspectTryEstimate extends AspectTryCost {
  /** Each call may be asked again once when its reply cannot be used. */
  worstCase: number;
  /** The calls, in order: 'generate' (when the answer is generated), 'select' (unless ticked), 'judge'. */
  steps: ('generate' | 'select' | 'judge')[];
}

export interface AspectTrySelection {
  aspects: string[];
  reasoning: string;
  /** 'selector': picked now; 'ticked': the user's; 'fallback': the selector's reply was unusable, the static set stood in. */
  source: 'selector' | 'ticked' | 'fallback';
}

export type AspectTryJudgement =
  // score null: the judge said N/A for that aspect (the reward is the mean of the others).
  | { ok: true; scores: { aspect: string; score: number | null; rationale: string }[]; reward: number }
  | { ok: false; error: string };

export interface AspectTryResult {
  query: string;
  answer: string;
  selection: AspectTrySelection;
  judgement: AspectTryJudgement;
  /** What the try spent. */
  cost: AspectTryCost;
}

/** A try's progress as it happens; it ends with 'done' or 'error'. Unsubscribing cancels it. */
export type AspectTryEvent =
  | { type: 'answer'; text: string }
  | { type: 'selection'; selection: AspectTrySelection }
  | { type: 'done'; result: AspectTryResult }
  | { type: 'error'; error: string };

/** A saved probe: a query, an answer and the score the user expects, re-judged in one click after an edit. */
export const aspectProbeSchema = z.object({
  id: z.string().min(1).max(100),
  query: tryText,
  answer: tryText,
  /** The reward (1–5) the user expects the judge to give. */
  expected: z.number().min(1).max(5),
  /** Aspects to judge on; absent: the selector picks. */
  aspects: z.array(z.string().min(1)).min(1).max(LIMITS.aspects).optional(),
});

export const aspectProbesSchema = z.array(aspectProbeSchema).max(ASPECT_TRY_LIMITS.probes);

export type AspectProbe = z.input<typeof aspectProbeSchema>;

/** Connections a try uses unless the user picks others: those of the last run that named them. */
export interface AspectTryDefaults {
  selector?: string;
  judge?: string;
  base?: string;
  /** The run they came from. */
  run?: string;
}
