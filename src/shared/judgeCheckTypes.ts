// What a judge check produces (README "Can the judge be trusted?"): the statistics of re-judging
// a sample of an experiment's answers N times (variance) or with two judges (agreement), shared by
// the engine, the CLI's tables and the Experiments screen. Plain JSON, saved in
// <experiment>/judge-checks/.

/** One aspect's spread when the same judge scores the same answers N times. */
export interface VarianceAspectStat {
  aspect: string;
  /** Answers whose N replies all gave this aspect a number: the statistics below are over these. */
  answers: number;
  /** Mean of all their scores. */
  mean: number | null;
  /** Mean over those answers of the standard deviation of each answer's N scores (population: divided by N). */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** The widest max − min of a single answer's N scores. */
  widestRange: number | null;
  /** Share (0–1) of those answers whose N scores are all the same. */
  agree: number | null;
  /** Replies that said "N/A" for this aspect (never scores; their answer is left out above). */
  na: number;
  /** Replies that could not be read at all (never scores; their answer is left out above). */
  unparsed: number;
}

/** One aspect's agreement between judge A and judge B on the same answers. */
export interface AgreementAspectStat {
  aspect: string;
  /** Answers both judges gave a number for this aspect: the statistics below are over these. */
  answers: number;
  /** Spearman's rank correlation (ties: average ranks); null under 2 answers or where a judge gave one score to all. */
  spearman: number | null;
  /** Share (0–1) of those answers both judges gave the same score. */
  exact: number | null;
  meanA: number | null;
  meanB: number | null;
  /** "N/A" replies of each judge for this aspect. */
  na: { a: number; b: number };
  /** Replies of each judge that could not be read. */
  unparsed: { a: number; b: number };
}

/** What a check will cost before it starts. */
export interface JudgeCheckEstimate {
  /** Answers in the sample (fewer than asked where the experiment has fewer). */
  answers: number;
  /** Answers the experiment holds. */
  available: number;
  /** Judge calls planned: answers × times (variance) or answers × 2 (agreement). */
  calls: number;
  /** With one repair re-ask for every unreadable reply, at most twice the calls. */
  worstCase: number;
  /** The judges the check asks (variance: one; agreement: A then B). */
  judges: string[];
}

/** An answer of the experiment the check judged. */
export interface CheckedAnswer {
  setup: string;
  target: string;
  itemId: string;
  split: 'regular' | 'safety';
}

/** One judge's reply: the scores (null: "N/A"), or null where it could not be read. */
export type JudgeReply = { scores: Record<string, number | null> } | { error: string };

export interface JudgeCheckResult {
  kind: 'variance' | 'agreement';
  experiment: string;
  judges: string[];
  /** Variance: how many times each answer was judged. */
  times?: number;
  sample: number;
  seed: number;
  protocol: 'just-eval' | 'drpo-studio';
  answers: CheckedAnswer[];
  /** replies[j][r][i]: judge j's r-th reply on answer i (variance: one judge, `times` rounds; agreement: two judges, one round). */
  replies: JudgeReply[][][];
  variance?: VarianceAspectStat[];
  agreement?: AgreementAspectStat[];
  /** Calls paid per judge (repair re-asks included), tokens and dollars. */
  cost: { judge: string; calls: number; promptTokens: number; completionTokens: number; costUsd: number }[];
  createdAt: string;
  /** Where it is saved. */
  file: string;
}

/** Progress of a check while it runs, and its end. */
export type JudgeCheckEvent =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: JudgeCheckResult }
  | { type: 'error'; error: string };
