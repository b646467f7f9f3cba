// The checks every plugin makes on a GenerateRequest before it reaches a backend, so a bad
// request fails as a final 'bad-request' here instead of as a server's 400 (which the
// openai-compatible client would read as a quirk to work around).

import type { Capabilities, GenerateRequest } from '../contract.js';
import { ModelCallError } from '../contract.js';

/** Throws a 'bad-request' ModelCallError, prefixed with `label`, for the first thing wrong. */
export function checkRequest(
  request: GenerateRequest,
  label: string,
  capabilities: Pick<Capabilities, 'multipleSamples'>,
): void {
  const bad = (message: string): ModelCallError => new ModelCallError('bad-request', `${label}: ${message}`);
  if (!capabilities.multipleSamples && request.n !== 1)
    throw bad(`n = ${request.n} is not supported (capability multipleSamples is false; the host fans out)`);
  if (!Number.isInteger(request.n) || request.n < 1) throw bad(`n must be a positive integer (got ${request.n})`);
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1)
    throw bad(`maxTokens must be a positive integer (got ${request.maxTokens})`);
  if (!Number.isFinite(request.temperature) || request.temperature < 0)
    throw bad(`temperature must be >= 0 (got ${request.temperature})`);
  if (request.topP !== undefined && !(request.topP > 0 && request.topP <= 1))
    throw bad(`topP must be in (0, 1] (got ${request.topP})`);
  if (request.seed !== undefined && !Number.isInteger(request.seed))
    throw bad(`seed must be an integer (got ${request.seed})`);
  if (request.input.kind === 'chat' && request.input.messages.length === 0)
    throw bad('a chat input needs at least one message');
}
