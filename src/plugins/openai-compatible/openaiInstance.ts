// The official `openai` client for one base URL, set up so the host stays in charge: no retries
// of its own (the scheduler retries), nothing read from OPENAI_* environment variables, its
// warnings logged with the key masked, error bodies normalized.

import type { ClientOptions, OpenAI } from 'openai';
import { normalizingFetch } from './errorBodies.js';
import { redact } from './errors.js';
import type { CompatibleClientOptions, OpenAIModule } from './options.js';

export function openAIFor(lib: OpenAIModule, baseURL: string, options: CompatibleClientOptions): OpenAI {
  const { apiKey, organization, requestTimeoutMs, log, label } = options;
  const warn = (message: string): void => log(`${label}: ${redact(message, apiKey)}`);
  const clientOptions: ClientOptions = {
    baseURL,
    // The client insists on a key; with none, the placeholder is never sent (header nulled below).
    apiKey: apiKey || 'no-key',
    adminAPIKey: null,
    organization: organization || null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: requestTimeoutMs,
    fetch: normalizingFetch,
    logLevel: 'warn',
    logger: { error: warn, warn, info: () => undefined, debug: () => undefined },
    ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
  };
  return new lib.OpenAI(clientOptions);
}
