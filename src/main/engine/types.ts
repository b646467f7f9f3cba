// Shared vocabulary of the engine: aspects, selections, evaluations, ICL examples.

export interface Aspect {
  name: string;
  /** The short line the aspect selector reads (appendix E.1.2). */
  description: string;
  /**
   * The anchored line the judge scores by ("A score of 5 indicates …, while a 1 suggests …"), as the
   * reference judge gets it; absent in catalogs written before it existed: the judge then reads `description`.
   */
  rubric?: string;
  enabled: boolean;
}

export interface AspectCatalog {
  aspects: Aspect[];
  /** The fixed set used by static rewarding (the paper's evaluation aspects). */
  staticAspects: string[];
}

/** Which aspects matter for one query, and why (dynamic rewarding, appendix E.1.2). */
export interface AspectSelection {
  aspects: string[];
  reasoning: string;
  /**
   * 'selector': chosen by the aspect selector; 'imported': read from a published selections file
   * (`reward.selections`); 'static': static rewarding; 'fallback': the selector's reply was unusable.
   */
  source: 'selector' | 'imported' | 'static' | 'fallback';
}

export interface AspectScore {
  aspect: string;
  /** null when the judge answered "N/A": kept as such, never counted as a score. */
  score: number | null;
  rationale: string;
}

export type Evaluation = { ok: true; scores: AspectScore[]; reward: number } | { ok: false; error: string };

export interface IclExample {
  query: string;
  answer: string;
  kind?: string;
}

export interface SeedQuery {
  query: string;
  category?: string;
}
