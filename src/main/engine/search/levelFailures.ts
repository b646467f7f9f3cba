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
