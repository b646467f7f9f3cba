// What an experiment writes to its log besides calls: each answer, and each judgment or the
// reason there is none (an unusable reply, or a call that failed for good). A resumed experiment replays them from the cache (written once).
export type ExperimentEvent =
  | { type: 'eval-answer'; setup: string; target: string; itemId: string; answer: string }
  | {
      type: 'eval-judged';
      setup: string;
      target: string;
      itemId: string;
      scores: Record<string, number | null>;
      reasons: Record<string, string>;
    }
  | { type: 'eval-unjudged'; setup: string; target: string; itemId: string; error: string; raw: string }
  /** The item has no answer or no judgment: a call failed for good on a request the backend refused for itself. */
  | { type: 'eval-failed'; setup: string; target: string; itemId: string; error: string };
