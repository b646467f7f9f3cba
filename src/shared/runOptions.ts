// The run config's vocabulary and the defaults a form shows: stages, roles, prompt formats and
// search algorithms, declared once for the engine, the run-config schema and the renderer. No zod
// and no Node here, so the renderer can import it without pulling the schemas into its bundle.

export const RUN_STAGES = ['system-prompt', 'icl'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** The four model roles of the paper, each served by a backend. */
export const ROLES = ['base', 'selector', 'judge', 'optimizer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How the base model is prompted: raw completion ('drpo', 'urial') or messages ('drpo-chat': the
 * reference code's chat path; 'chat', 'chat-no-system': examples as turns).
 */
export const PROMPT_FORMATS = ['drpo', 'urial', 'drpo-chat', 'chat', 'chat-no-system'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

export const SEARCH_ALGORITHMS = ['beam', 'greedy', 'monte-carlo'] as const;
export type SearchAlgorithm = (typeof SEARCH_ALGORITHMS)[number];

/** Beam width W, samples M and depth D per stage (the published code's: `search` and `iclSearch`). */
export const SEARCH_DEFAULTS: Readonly<Record<RunStage, { width: number; samples: number; depth: number }>> = {
  'system-prompt': { width: 2, samples: 3, depth: 20 },
  icl: { width: 1, samples: 1, depth: 5 },
};

/** Reference temperatures: optimizer samples at 0.2 (top-p 0.95); everything else is greedy. */
export const ROLE_DEFAULTS = {
  base: { temperature: 0 },
  selector: { temperature: 0 },
  judge: { temperature: 0 },
  optimizer: { temperature: 0.2, topP: 0.95 },
} as const satisfies Record<Role, { temperature: number; topP?: number }>;

/** Where the ICL stage samples differently from the system-prompt stage (reference: its optimizer at T 0, top-p 1). */
export const ICL_ROLE_DEFAULTS: Readonly<Partial<Record<Role, { temperature?: number; topP?: number }>>> = {
  optimizer: { temperature: 0, topP: 1 },
};

/** The paper's sentence-embedding model (all-mpnet-base-v2), fetched from the model hub on first use. */
export const DEFAULT_EMBEDDING_MODEL = 'sentence-transformers/all-mpnet-base-v2';

/** A role's output limit unless its config sets one. */
export const DEFAULT_MAX_TOKENS = 2048;

/** ICL examples retrieved per query unless the config sets `retrieval.k`. */
export const DEFAULT_RETRIEVAL_K = 2;
