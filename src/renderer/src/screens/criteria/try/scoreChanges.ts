// The score change per aspect between two judgements of the same answer, and the reward's.
import type { AspectTryJudgement } from '../../../../../shared/aspectTry';

export interface AspectChange {
  aspect: string;
  before: number | null;
  after: number | null;
  /** after − before; null where either judgement has no score for the aspect. */
  change: number | null;
}

/** Aspects in the order the later judgement lists them, then those only the earlier one judged. */
export function scoreChanges(before: AspectTryJudgement, after: AspectTryJudgement): AspectChange[] {
  // An aspect judged N/A (score null) has no score to compare, like one not judged.
  const scores = (j: AspectTryJudgement) => new Map(j.ok ? j.scores.map((s) => [s.aspect, s.score ?? null]) : []);
  const was = scores(before);
  const now = scores(after);
  const aspects = [...new Set([...now.keys(), ...was.keys()])];
  return aspects.map((aspect) => {
    const b = was.get(aspect) ?? null;
    const a = now.get(aspect) ?? null;
    return { aspect, before: b, after: a, change: a !== null && b !== null ? a - b : null };
  });
}

/** "+1", "−2", "±0"; "–" when there is nothing to compare. */
export function signed(change: number | null, digits = 0): string {
  if (change === null) return '–';
  if (change === 0) return '±0';
  return `${change > 0 ? '+' : '−'}${Math.abs(change).toFixed(digits)}`;
}
