// What an experiment produces (result.json of an experiment folder), shared by the engine, the
// CLI tables and the studio's Experiments screen. Plain JSON.

/** Mean of one aspect over the items that have a number for it; N/A and unjudged items kept apart. */
export interface AspectStat {
  mean: number | null;
  /** Items with a numeric score. */
  n: number;
  /** Items the judge answered "N/A" for this aspect. */
  na: number;
  /** Items with the score 1, 2, 3, 4, 5 (fractional scores rounded). */
  distribution: [number, number, number, number, number];
  /** just-eval's figure: the mean with every N/A counted as 5, as its scorer does; absent from older results (experimentFigures.ts derives it). */
  justEvalMean?: number | null;
}

export interface CategoryStat {
  /** Mean over the category's items of each item's mean numeric score. */
  mean: number | null;
  n: number;
}

export interface CellCost {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** One setup on one target model. */
export interface CellSummary {
  setup: string;
  target: string;
  items: number;
  judged: number;
  /** Items whose judgment could not be read (after one repair re-ask): no score, counted here. */
  unjudged: number;
  /** Items left out because a call failed for good (not in `items`); absent from older results. */
  failed?: number;
  /** Regular aspects (helpfulness, clarity, factuality, depth, engagement) and safety. */
  aspects: Record<string, AspectStat>;
  /** The paper's "Avg.": mean of the regular aspects' means; null without regular items. */
  average: number | null;
  /** The same average of the aspects' just-eval figures (N/A counted as 5); absent from older results. */
  justEvalAverage?: number | null;
  /** Dimension (source, task, topic…) → category → stat. */
  categories: Record<string, Record<string, CategoryStat>>;
  /** Against the baseline setup on the same target (absent for the baseline itself). */
  delta?: { average: number | null; aspects: Record<string, number | null> };
  cost: { answers: CellCost; judge: CellCost };
}

export interface ExperimentSetupSummary {
  name: string;
  kind: string;
  systemPrompt: string;
  examples: number;
  k: number;
  format?: string;
  /** What ranked its examples: the model asked for, the one used ('embeddings:…', 'bm25', 'none') and why not. */
  retrieval?: { requested: string; used: string; reason?: string };
}

/** An item of one setup on one target left without a score because a call failed for good. */
export interface FailedItem {
  setup: string;
  target: string;
  itemId: string;
  error: string;
}

/** The evaluation judge's prompts: just-eval's templates (files and sha256) or the project's own. */
export type JudgeProtocolSummary =
  | {
      protocol: 'just-eval';
      templates: { regular: { file: string; sha256: string }; safety: { file: string; sha256: string } };
    }
  /** `fallback`: why just-eval's templates were not used although the config left the choice open. */
  | { protocol: 'drpo-studio'; fallback?: string };

export interface ExperimentResult {
  id: string;
  /** 'finished-with-failures': some items have no score because their calls failed for good (`failures`). */
  status: 'finished' | 'finished-with-failures';
  /** Absent from results written before failures were recorded. */
  failures?: FailedItem[];
  evalSet: { file: string; items: number; regular: number; safety: number };
  setups: ExperimentSetupSummary[];
  targets: { name: string; backend: string; format: string }[];
  baseline: string;
  /** Absent from results written before protocols existed (they were judged with protocol drpo-studio). */
  judge?: JudgeProtocolSummary;
  cells: CellSummary[];
  wallMs: number;
}

/** One judged (or unjudged) answer, as listed in <experiment>/judgements.jsonl. */
export interface JudgmentRecord {
  setup: string;
  target: string;
  itemId: string;
  split: 'regular' | 'safety';
  tags: Record<string, string[]>;
  answer: string;
  /** null when the judgment could not be read. */
  scores: Record<string, number | null> | null;
  reasons?: Record<string, string>;
  error?: string;
  /** The exact prompt the judge got (just-eval's own output keeps it too); absent from older folders. */
  judgePrompt?: string;
}
