// Names that become file names (a run's or experiment's folder, a dataset's file) or keys of a
// JSON record (a connection, a stored key): one rule for every place, so that no name from a
// request, a bundle or a file can leave its folder ('..') or reach the object prototype
// ('__proto__'). No Node here: the API's argument schemas use it too.
import { StudioApiError } from './studioApiError.js';

const MAX_NAME_LENGTH = 128;

/** Letters, digits, '.', '_' and '-', at most 128 of them, and not dots alone ('.', '..', '...'). */
export function isSafeName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && /^[\w.-]+$/.test(name) && !/^\.+$/.test(name);
}

export const SAFE_NAME_RULE = `letters, digits, '.', '_' and '-' (at most ${MAX_NAME_LENGTH}), not dots alone`;

/** The name itself, or an invalid-argument StudioApiError saying what `what` (a "run id", a "dataset name") may be. */
export function checkSafeName(name: string, what: string): string {
  if (!isSafeName(name)) throw new StudioApiError('invalid-argument', `a ${what} is ${SAFE_NAME_RULE} (got "${name}")`);
  return name;
}

/** Whether a record key may be stored in a plain object: '__proto__' would set its prototype, not a key. */
export function isRecordKey(name: string): boolean {
  return name !== '__proto__';
}
