// The one error shape of the StudioApi. Whatever a method throws crosses either transport as
// `{ code, message, details? }` and comes out of either client as a StudioApiError, so callers
// branch on `code`, never on message text, and `error.message` alone still reads well.
// No zod and no Node here: this file ships to the renderer.

/**
 * What went wrong, as a caller can act on it (the HTTP status each travels with):
 *   invalid-argument 400  the arguments (or the request carrying them) are malformed; `details.issues` names the fields
 *   unauthenticated  401  the HTTP token is missing or wrong
 *   forbidden        403  the caller may not use the API (an untrusted IPC sender, a foreign Host header)
 *   not-found        404  no such method, run, experiment, dataset…
 *   method-not-allowed 405  HTTP only: a call sent with GET, a subscription with POST
 *   conflict         409  the thing's state forbids it now (already running, already finished…)
 *   too-large        413  HTTP only: the request body is over the server's limit
 *   internal         500  anything else: the message only, never a stack
 */
export const STUDIO_ERROR_STATUS = {
  'invalid-argument': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  internal: 500,
} as const;

export type StudioErrorCode = keyof typeof STUDIO_ERROR_STATUS;

/** One thing wrong with the arguments: where (`config.search.width`) and what. */
export interface ArgumentIssue {
  path: string;
  message: string;
}

export interface StudioErrorDetails {
  issues?: ArgumentIssue[];
}

/** What crosses the wire. */
export interface StudioErrorBody {
  code: StudioErrorCode;
  message: string;
  details?: StudioErrorDetails;
}

export class StudioApiError extends Error {
  override readonly name = 'StudioApiError';

  constructor(
    readonly code: StudioErrorCode,
    message: string,
    readonly details?: StudioErrorDetails,
  ) {
    super(message);
  }

  /** The wire form: code, message and details, nothing else (no stack, no cause). */
  toBody(): StudioErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** The wire form of anything a method threw: a StudioApiError as it is, anything else as `internal` (its message only). */
export function errorBody(error: unknown): StudioErrorBody {
  if (error instanceof StudioApiError) return error.toBody();
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function isErrorCode(value: unknown): value is StudioErrorCode {
  return typeof value === 'string' && Object.hasOwn(STUDIO_ERROR_STATUS, value);
}

/** A StudioApiError from what a server sent, or undefined when it is not an error body. */
export function errorFromBody(body: unknown): StudioApiError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, message, details } = body as Partial<Record<keyof StudioErrorBody, unknown>>;
  if (!isErrorCode(code) || typeof message !== 'string') return undefined;
  return new StudioApiError(
    code,
    message,
    typeof details === 'object' && details !== null ? (details as StudioErrorDetails) : undefined,
  );
}
