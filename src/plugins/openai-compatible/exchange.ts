// One HTTP exchange with one endpoint, under the request timeout, the caller's signal and the
// client's dispose; whatever fails leaves as a classified ModelCallError.

import { ModelCallError } from '../contract.js';
import type { Endpoint } from './endpoints.js';
import { classify } from './errors.js';
import type { CompatibleClientOptions, OpenAIModule } from './options.js';

/** What every exchange of one client shares. */
export interface Wire {
  lib: OpenAIModule;
  options: CompatibleClientOptions;
  /** Aborted when the client is disposed. */
  disposeSignal: AbortSignal;
}

/** `missingModel`: the model a 404 most likely refers to (its error then lists what is served). */
export async function exchange<T>(
  wire: Wire,
  endpoint: Endpoint,
  callerSignal: AbortSignal | undefined,
  run: (signal: AbortSignal, progress: { responded: boolean }) => Promise<T>,
  missingModel?: string,
): Promise<T> {
  const { options, disposeSignal } = wire;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('request timed out')), options.requestTimeoutMs);
  const signal = AbortSignal.any([disposeSignal, timeout.signal, ...(callerSignal ? [callerSignal] : [])]);
  const progress = { responded: false };
  endpoint.inFlight += 1;
  try {
    if (signal.aborted) throw signal.reason;
    return await run(signal, progress);
  } catch (error) {
    const failure = classify(error, {
      lib: wire.lib,
      label: options.label,
      apiKey: options.apiKey,
      requestTimeoutMs: options.requestTimeoutMs,
      at: endpoint.baseURL,
      responded: progress.responded,
      model: missingModel,
      aborted: disposeSignal.aborted || callerSignal?.aborted === true,
      timedOut: timeout.signal.aborted,
    });
    if (missingModel !== undefined && failure.kind === 'not-found' && failure.message.includes('does not exist'))
      throw await withAvailableModels(wire, failure, endpoint, missingModel);
    throw failure;
  } finally {
    clearTimeout(timer);
    endpoint.inFlight -= 1;
  }
}

/** Appends what the endpoint does serve to a "model does not exist" error (one cheap listing). */
async function withAvailableModels(
  wire: Wire,
  failure: ModelCallError,
  endpoint: Endpoint,
  model: string,
): Promise<ModelCallError> {
  let available = '';
  try {
    const models = await endpoint.api.models.list({
      signal: AbortSignal.any([AbortSignal.timeout(5000), wire.disposeSignal]),
    });
    const ids = models.data.map((m) => m.id);
    available =
      ids.length > 0
        ? `; it serves: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`
        : '; it lists no models';
  } catch {
    // The error stands without the list.
  }
  const base = `${wire.options.label}: the model ${model} does not exist at ${endpoint.baseURL}`;
  return new ModelCallError('not-found', `${base}${available}`, { cause: failure.cause });
}
