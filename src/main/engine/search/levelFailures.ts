// How the search treats a call that failed for good (after the scheduler's own retries).
//
// A failure of the backend (unreachable, timing out, erring, overloaded past its wait, refusing
// the key, missing the model) says nothing about the state being judged: the level tries it once
// more when its other work is done, and if it still fails the level is not ranked at all. The
// search stops with LevelUnfinishedError and the run pauses until the backend is back; a resume
// replays everything finished from the cache and asks again only what failed.
//
// A request the backend refuses for itself ('bad-request', e.g. a context overflow) would be
// refused again, so it is not retried: its node stays failed and the level is ranked without it,
// saying so (the beam event's `partial`).
import { asModelCallError, type ModelCallError } from '../../../plugins/contract.js';

/** The failure as a backend's, when it is one (never the user's abort, never a refused request). */
export function backendFailure(error: unknown): ModelCallError | undefined {
  const failure = asModelCallError(error);
  return failure && failure.kind !== 'bad-request' && failure.kind !== 'aborted' ? failure : undefined;
}

/** A level whose calls still fail for the backend's sake after its retry: it was not ranked. */
export class LevelUnfinishedError extends Error {
  constructor(
    readonly level: number,
    readonly failures: readonly ModelCallError[],
  ) {
    super(`level ${level} could not be judged in full: ${failures[0]?.message ?? 'a call failed'}`);
    this.name = 'LevelUnfinishedError';
  }
}

/** A role's structured replies of one level, as the search space counts them (rewards/replyRecord.ts). */
export interface LevelReplies {
  role: 'selector' | 'judge';
  backend: string;
  asked: number;
  unusable: number;
  keys: string[];
}

/**
 * Most of a level's replies of a role stayed unusable after their repair re-ask: the server does
 * not follow the schema, and ranking the level would rank nothing. The run pauses instead; a
 * resume asks those calls again (`keys`) rather than replaying them.
 */
export class RepliesUnusableError extends Error {
  constructor(
    readonly level: number,
    readonly replies: LevelReplies,
  ) {
    const { role, backend, unusable, asked } = replies;
    super(
      `the ${role}'s replies from backend "${backend}" were not the JSON asked for in ${unusable} of ${asked} call${asked === 1 ? '' : 's'} of level ${level}, even after a repair re-ask: the server does not follow the schema (see drpo-studio test-connections) — fix or change the backend, then resume`,
    );
    this.name = 'RepliesUnusableError';
  }
}

/**
 * Throws when more than half of a role's replies in the level were unusable; for the selector, at
 * least two. A level asks the selector once per query (usually once), and one unusable selection
 * falls back, visibly, to the stage's fixed aspects, so the level is still judged; a server that
 * ignores the schema fails the same level's judgments too.
 */
export function assertRepliesUsable(level: number, replies: readonly LevelReplies[]): void {
  const failing = replies.find((r) => (r.role === 'judge' || r.unusable >= 2) && r.unusable * 2 > r.asked);
  if (failing) throw new RepliesUnusableError(level, failing);
}
