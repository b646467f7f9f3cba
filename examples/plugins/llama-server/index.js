// Example user plugin for DRPO Studio: llama.cpp's llama-server, native /completion API.
// A plugin is this folder: manifest.json + an ES module whose default export has create().
// It imports nothing from the studio (a user plugin gets no module path to it); it only has to
// honor the contract (src/plugins/contract.ts). The built-in plugins share src/plugins/kit/ for
// what this file does by hand: settings, request checks, dispose, Retry-After.

class ModelCallError extends Error {
  // The host retries 'connection', 'timeout', 'rate-limit' and 'server'; the rest are final.
  constructor(kind, message, retryAfterMs) {
    super(message);
    this.name = 'ModelCallError';
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
  get retriable() {
    return ['connection', 'timeout', 'rate-limit', 'server'].includes(this.kind);
  }
}

// Retry-After in seconds; its HTTP-date form (which llama-server does not send) is left to the
// host's backoff. src/plugins/kit/retryAfter.ts reads both.
function retryAfterMs(value) {
  return /^\d+$/.test(value?.trim() ?? '') ? Number(value) * 1000 : undefined;
}

function errorFor(status, body, retryAfter) {
  if (status === 401 || status === 403)
    return new ModelCallError('auth', `llama-server refused the API key (${status})`);
  if (status === 429) return new ModelCallError('rate-limit', 'llama-server is busy (429)', retryAfterMs(retryAfter));
  if (status >= 500) return new ModelCallError('server', `llama-server failed (${status}): ${body.slice(0, 200)}`);
  return new ModelCallError('bad-request', `llama-server rejected the request (${status}): ${body.slice(0, 200)}`);
}

export default {
  async create(settings) {
    const url = String(settings.url).replace(/\/$/, '');
    const headers = {
      'content-type': 'application/json',
      ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    };
    const inFlight = new Set();
    return {
      capabilities: {
        chat: false,
        completion: true,
        multipleSamples: false,
        jsonSchema: true,
        seed: true,
        embeddings: false,
        listModels: false,
      },
      maxParallel: settings.slots,
      async generate(request, signal) {
        if (request.input.kind !== 'text')
          throw new ModelCallError(
            'bad-request',
            'llama-server plugin: raw completion only (set promptFormat to "drpo" or "urial")',
          );
        const controller = new AbortController();
        inFlight.add(controller);
        signal?.addEventListener('abort', () => controller.abort(), { once: true });
        try {
          const response = await fetch(`${url}/completion`, {
            method: 'POST',
            headers,
            signal: controller.signal,
            body: JSON.stringify({
              prompt: request.input.text,
              n_predict: request.maxTokens,
              temperature: request.temperature,
              top_p: request.topP,
              seed: request.seed,
              stop: request.stop,
              json_schema: request.jsonSchema,
            }),
          });
          const body = await response.text();
          if (!response.ok) throw errorFor(response.status, body, response.headers.get('retry-after'));
          const reply = JSON.parse(body);
          return {
            texts: [reply.content],
            usage: { promptTokens: reply.tokens_evaluated ?? 0, completionTokens: reply.tokens_predicted ?? 0 },
          };
        } catch (error) {
          if (error instanceof ModelCallError) throw error;
          if (controller.signal.aborted) throw new ModelCallError('aborted', 'llama-server request aborted');
          throw new ModelCallError(
            'connection',
            `cannot reach llama-server at ${url}: ${error.cause?.code ?? error.message}`,
          );
        } finally {
          inFlight.delete(controller);
        }
      },
      // Everything the plugin opened is released here.
      async dispose() {
        for (const controller of inFlight) controller.abort();
      },
    };
  },
};
