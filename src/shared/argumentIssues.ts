// Zod's findings about a caller's arguments in plain words, each naming its field
// (`config.search.width: expected a whole number ≥ 1`), and the invalid-argument StudioApiError
// that carries them. Shared by the API boundary and the run-config normalizer, so a malformed
// argument reads the same wherever it is caught.
import type { z } from 'zod';
import { type ArgumentIssue, StudioApiError } from './studioApiError.js';

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'an array',
  tuple: 'an array',
  object: 'an object',
  record: 'an object',
  null: 'null',
  undefined: 'nothing',
};

function what(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return NOUNS[typeof value] ?? typeof value;
}

function bound(issue: { origin?: string; inclusive?: boolean }, limit: unknown, atLeast: boolean): string {
  const count = Number(limit);
  if (issue.origin === 'string')
    return count === 1 && atLeast
      ? 'expected a non-empty string'
      : `expected ${atLeast ? 'at least' : 'at most'} ${count} characters`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `expected ${atLeast ? 'at least' : 'at most'} ${count} item${count === 1 ? '' : 's'}`;
  const sign = atLeast ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
  return `expected a number ${sign} ${String(limit)}`;
}

/**
 * A per-parse zod error map (`schema.safeParse(value, { error: plainMessage })`): plain messages for
 * zod's own issues; a schema's own messages ('give either "plugin" or "connection"') win over it.
 */
export const plainMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${NOUNS[issue.expected] ?? issue.expected}, got ${what(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return `expected ${what(issue.input) === 'nothing' ? 'a value' : 'another form'}, got ${what(issue.input)}`;
    default:
      return undefined;
  }
};

/** `config.search.width`, `items[0].query`; `label` names the path's first element (an argument's index), '' leaving it out. */
function dotted(path: readonly PropertyKey[], label?: (first: PropertyKey) => string): string {
  let text = '';
  path.forEach((key, i) => {
    const part = i === 0 && label ? label(key) : key;
    if (typeof part === 'number') text += `[${part}]`;
    else if (part !== '') text += text === '' ? String(part) : `.${String(part)}`;
  });
  return text;
}

/** Each issue's field and message; `label` names the path's first element (see `dotted`). */
export function argumentIssues(error: z.ZodError, label?: (first: PropertyKey) => string): ArgumentIssue[] {
  return error.issues.map((issue) => ({ path: dotted(issue.path, label), message: issue.message }));
}

/** `where: path: message; path: message`, with the issues as details. */
export function invalidArgument(where: string, issues: ArgumentIssue[]): StudioApiError {
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new StudioApiError('invalid-argument', `${where}: ${text}`, { issues });
}
