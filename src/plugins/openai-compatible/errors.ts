// Turns whatever one exchange with the server threw (the openai client's APIError family, a
// cut stream, a socket error) into a ModelCallError of the right kind, with the server's own
// words and never the API key.

import { ModelCallError, type ModelErrorKind } from '../contract.js';
import { errorText, innermostReason } from '../kit/errorCauses.js';
import { retryAfterMs } from '../kit/retryAfter.js';
import { CONTEXT_FULL_FIX, isContextFull } from './contextFull.js';
import type { OpenAIModule } from './options.js';

/** A stream that ended without every choice finishing, or broke off. */
export class StreamCut extends Error {}

export interface ExchangeOutcome {
  lib: OpenAIModule;
  label: string;
  apiKey: string;
  requestTimeoutMs: number;
  /** The endpoint's base URL. */
  at: string;
  /** The server had started answering. */
  responded: boolean;
  /** The model a 404 most likely refers to. */
  model: string | undefined;
  /** The caller or dispose aborted the exchange. */
  aborted: boolean;
  timedOut: boolean;
}

export function classify(error: unknown, outcome: ExchangeOutcome): ModelCallError {
  const { lib, label, apiKey, requestTimeoutMs, at, responded, model } = outcome;
  const make = (kind: ModelErrorKind, message: string, extra: { retryAfterMs?: number } = {}) =>
    new ModelCallError(kind, `${label}: ${redact(message, apiKey)}`, { ...extra, cause: safeCause(error, apiKey) });
  const withRetryAfter = (headers: Headers | undefined) => {
    const ms = retryAfterMs(headers);
    return ms === undefined ? {} : { retryAfterMs: ms };
  };

  if (outcome.aborted) return make('aborted', `request to ${at} aborted`);
  if (outcome.timedOut) return make('timeout', `no complete reply from ${at} within ${requestTimeoutMs} ms`);
  if (error instanceof ModelCallError) return error;
  if (error instanceof lib.APIUserAbortError) return make('aborted', `request to ${at} aborted`);
  if (error instanceof lib.APIConnectionTimeoutError)
    return make('timeout', `no reply from ${at} within ${requestTimeoutMs} ms`);
  if (error instanceof lib.APIConnectionError)
    return make('connection', `cannot reach ${at}: ${innermostReason(error)}`);
  if (error instanceof lib.APIError) {
    const status = error.status;
    const said = serverMessage(error);
    const code = typeof error.code === 'string' ? error.code : undefined;
    if (status === undefined) {
      const prefix = `${at} reported an error in the reply stream: the server says: ${said}`;
      if (isContextFull(said)) return make('bad-request', `${prefix}; ${CONTEXT_FULL_FIX}`);
      return make(inStreamKind(error.code), prefix);
    }
    if (status !== 401 && status !== 403 && (isContextFull(said) || code === 'context_length_exceeded'))
      return make(
        'bad-request',
        `${at} rejected the request (HTTP ${status}): the server says: ${said}; ${CONTEXT_FULL_FIX}`,
      );
    if (status === 401 || status === 403) {
      // The server's words are left out: OpenAI's 401 quotes the key it was given.
      return new ModelCallError(
        'auth',
        `${label}: ${at} refused the API key (HTTP ${status})${status === 403 ? ': no access to this model or endpoint' : ''}`,
      );
    }
    if (status === 404) {
      if (model !== undefined && (code === 'model_not_found' || /\bmodel\b/i.test(said)))
        return make('not-found', `the model ${model} does not exist at ${at} (${said})`);
      return make('not-found', `${at} answered 404 (${said}); check the base URL (it usually ends in /v1)`);
    }
    if (status === 429) {
      if (code === 'insufficient_quota')
        return make('auth', `${at} refused the request: the account's quota is used up (${said})`);
      return make('rate-limit', `rate limited by ${at} (HTTP 429: ${said})`, withRetryAfter(error.headers));
    }
    if (status === 408) return make('timeout', `${at} timed out the request (HTTP 408: ${said})`);
    // A 503 is a full server (vLLM behind a gateway, a busy shared server); it often says when to come back.
    if (status === 503)
      return make('overloaded', `${at} is overloaded (HTTP 503: ${said})`, withRetryAfter(error.headers));
    if (status >= 500 || status === 409)
      return make('server', `${at} failed (HTTP ${status}: ${said})`, withRetryAfter(error.headers));
    return make('bad-request', `${at} rejected the request (HTTP ${status}: ${said})`);
  }
  if (error instanceof StreamCut)
    return make('connection', `the connection to ${at} broke off mid-reply: ${error.message}`);
  if (error instanceof SyntaxError && responded)
    return make('server', `${at} sent a reply stream that is not valid JSON: ${error.message}`);
  // A socket error (it has a code) before any reply is a broken connection too.
  if (responded || typeof (error as { code?: unknown })?.code === 'string')
    return make('connection', `the connection to ${at} broke off mid-reply: ${innermostReason(error)}`);
  return make('bad-request', `request to ${at} failed: ${errorText(error)}`);
}

/** An error sent inside a 200 stream: its numeric `code`, where it gives one, is the status it means. */
function inStreamKind(code: unknown): ModelErrorKind {
  const meant = typeof code === 'number' ? code : Number.NaN;
  return meant >= 400 && meant < 500 && meant !== 408 && meant !== 429 ? 'bad-request' : 'server';
}

/** The HTTP status behind a classified error, when it came from one. */
export function httpStatusOf(error: ModelCallError): number | undefined {
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Text with the API key (and anything shaped like an OpenAI key) masked. */
export function redact(text: string, apiKey: string): string {
  const masked = apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
  return masked.replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-***');
}

/** The server's own words from an APIError (its message is "STATUS words"). */
function serverMessage(error: { message: string; error?: unknown }): string {
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  if (typeof inner === 'string' && inner) return inner;
  return error.message.replace(/^\d{3}\s+/, '');
}

/** The underlying error, unless its text carries the key. */
function safeCause(error: unknown, apiKey: string): unknown {
  if (apiKey.length === 0) return error;
  let text: string;
  try {
    text = `${errorText(error)} ${JSON.stringify((error as { error?: unknown })?.error ?? '')}`;
  } catch {
    return undefined;
  }
  return text.includes(apiKey) ? undefined : error;
}
