// What a run's or an experiment's status means for what can be done with it, for both sides.

/** Finished, with failures or not: its result is there, and nothing is left to resume. */
export function hasFinished(status: string | null): boolean {
  return status === 'finished' || status === 'finished-with-failures';
}
